// The lean V8 reference hosts of the benchmark protocol (benchmarks.md): as
// little host work per call as k8s-wasm's own host does, so that the V8 column
// measures V8 running the guest, not the cost of a heavy host.
//
// Each host is built once per compiled WebAssembly.Module: its import object
// (WASI preview1 over in-memory buffers, and the waPC or Kubewarden "host"
// functions) is written once as plain JS functions, and a call only resets
// the host's state (stdin bytes and position, output lengths, waPC buffers)
// and creates the one object the isolation needs: a fresh
// WebAssembly.Instance of the module (the same isolation as k8s-wasm's
// "fresh" strategy; its default "snapshot" strategy restores memory instead).
//
//   WasiContractHost     k8s-wasm modules: _initialize, then an export (validate,
//                        authn, authz); stdin is the envelope, stdout the answer
//   WapcHost             Kubewarden waPC policies: _start / wapc_init, then
//                        __guest_call
//   KubewardenWasiHost   Kubewarden WASI-mode policies: argv [policy.wasm,
//                        command], stdin the payload, _start, exit code
//
// No node:wasi: constructing a node:wasi WASI object costs far more than the
// guest's work (see benchmarks/README.md).

export const EBADF = 8;
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * proc_exit(code): unwinds the guest. Not an Error: capturing a stack trace
 * through the guest's frames would cost V8 several microseconds per call of a
 * TinyGo-style policy, whose _start always ends with proc_exit(0).
 */
export class ProcExit {
  constructor(code) {
    this.code = code;
  }

  toString() {
    return `proc_exit(${this.code})`;
  }
}

/** The guest failed a waPC call (__guest_call returned 0, or it trapped). */
export class GuestError extends Error {}

/** Thrown by a host capability callback: becomes the host error the guest reads. */
export class HostError extends Error {}

/** A byte buffer that grows and is emptied, not reallocated, between calls. */
class Output {
  bytes = new Uint8Array(64 * 1024);
  length = 0;

  append(source, offset, length) {
    const end = this.length + length;
    if (end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.bytes.set(new Uint8Array(source, offset, length), this.length);
    this.length = end;
  }

  /** The bytes written since the last reset (a view, valid until the next call). */
  view() {
    return this.bytes.subarray(0, this.length);
  }

  text() {
    return decoder.decode(this.view());
  }
}

/**
 * WASI preview1 over memory: stdin from a byte array, stdout and stderr into
 * Output buffers, argv fixed per call, an empty environment, proc_exit as an
 * exception. `imports` is created once; reset() prepares the next instance.
 */
export class Preview1 {
  memory = null;
  stdin = EMPTY;
  position = 0;
  stdout = new Output();
  stderr = new Output();
  args = [];
  imports;

  constructor() {
    const view = () => new DataView(this.memory.buffer);
    this.imports = {
      fd_read: (fd, iovs, iovsLen, nread) => {
        if (fd !== 0) return EBADF;
        const buffer = this.memory.buffer;
        const v = new DataView(buffer);
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const ptr = v.getUint32(iovs + 8 * i, true);
          const len = v.getUint32(iovs + 8 * i + 4, true);
          const n = Math.min(len, this.stdin.length - this.position);
          new Uint8Array(buffer, ptr, n).set(this.stdin.subarray(this.position, this.position + n));
          this.position += n;
          total += n;
          if (n < len) break;
        }
        v.setUint32(nread, total, true);
        return 0;
      },
      fd_write: (fd, iovs, iovsLen, nwritten) => {
        if (fd !== 1 && fd !== 2) return EBADF;
        const out = fd === 1 ? this.stdout : this.stderr;
        const buffer = this.memory.buffer;
        const v = new DataView(buffer);
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const len = v.getUint32(iovs + 8 * i + 4, true);
          out.append(buffer, v.getUint32(iovs + 8 * i, true), len);
          total += len;
        }
        v.setUint32(nwritten, total, true);
        return 0;
      },
      proc_exit: (code) => {
        throw new ProcExit(code);
      },
      args_sizes_get: (argc, argvBufSize) => {
        const v = view();
        v.setUint32(argc, this.args.length, true);
        v.setUint32(argvBufSize, this.args.reduce((n, a) => n + a.length + 1, 0), true);
        return 0;
      },
      args_get: (argv, argvBuf) => {
        const v = view();
        const bytes = new Uint8Array(this.memory.buffer);
        let at = argvBuf;
        this.args.forEach((arg, i) => {
          v.setUint32(argv + 4 * i, at, true);
          bytes.set(arg, at);
          bytes[at + arg.length] = 0;
          at += arg.length + 1;
        });
        return 0;
      },
      environ_sizes_get: (count, size) => {
        const v = view();
        v.setUint32(count, 0, true);
        v.setUint32(size, 0, true);
        return 0;
      },
      environ_get: () => 0,
      // what the real TinyGo policies of S8 also import: a clock, and no files (no preopened
      // directory: fd_prestat_get answers EBADF for fd 3, which ends wasi-libc's preopen scan)
      clock_time_get: (id, precision, time) => {
        view().setBigUint64(time, process.hrtime.bigint(), true);
        return 0;
      },
      fd_close: () => EBADF,
      fd_fdstat_get: () => EBADF,
      fd_prestat_get: () => EBADF,
      fd_prestat_dir_name: () => EBADF,
      fd_seek: () => EBADF,
      path_open: () => EBADF,
    };
  }

  /** Prepares the next call: the new instance's memory, stdin, argv (encoded args). */
  reset(memory, stdin, args = []) {
    this.memory = memory;
    this.stdin = stdin;
    this.position = 0;
    this.stdout.length = 0;
    this.stderr.length = 0;
    this.args = args;
  }
}

/** A k8s-wasm WASI contract module (spec/module-spec.md): one export per call. */
export class WasiContractHost {
  #module;
  #wasi = new Preview1();
  #imports = { wasi_snapshot_preview1: this.#wasi.imports };

  constructor(module) {
    this.#module = module;
  }

  /**
   * Calls `exportName` on a fresh instance with `input` (the envelope bytes)
   * on stdin; returns stdout (a view valid until the next call).
   */
  call(exportName, input) {
    const instance = new WebAssembly.Instance(this.#module, this.#imports);
    const exports = instance.exports;
    this.#wasi.reset(exports.memory, input);
    try {
      if (exports._initialize) exports._initialize();
      exports[exportName]();
    } catch (e) {
      if (!(e instanceof ProcExit) || e.code !== 0) throw e;
    }
    return this.#wasi.stdout.view();
  }
}

const refuseHostCalls = () => {
  throw new HostError('no host capabilities in this host');
};

/** Bytes of `data` (a string, or bytes as they are). */
export const toBytes = (data) => (typeof data === 'string' ? encoder.encode(data) : data);

/** A Kubewarden waPC policy (the waPC guest ABI plus WASI fd_write/proc_exit). */
export class WapcHost {
  #module;
  #hostCall;
  #wasi = new Preview1();
  #imports;
  #memory = null;
  // the state of one __guest_call
  #operation = EMPTY;
  #payload = EMPTY;
  #guestResponse = null;
  #guestError = null;
  #hostResponse = null;
  #hostError = null;

  /** hostCall(binding, namespace, operation, payload bytes) returns bytes or a string, or throws HostError. */
  constructor(module, hostCall = refuseHostCalls) {
    this.#module = module;
    this.#hostCall = hostCall;
    const bytes = (ptr, len) => new Uint8Array(this.#memory.buffer, ptr, len); // RangeError when out of bounds
    const text = (ptr, len) => decoder.decode(bytes(ptr, len));
    this.#imports = {
      wasi_snapshot_preview1: this.#wasi.imports,
      wapc: {
        __guest_request: (operationPtr, payloadPtr) => {
          bytes(operationPtr, this.#operation.length).set(this.#operation);
          bytes(payloadPtr, this.#payload.length).set(this.#payload);
        },
        __guest_response: (ptr, len) => {
          this.#guestResponse = bytes(ptr, len).slice();
        },
        __guest_error: (ptr, len) => {
          this.#guestError = text(ptr, len);
        },
        __host_call: (bdPtr, bdLen, nsPtr, nsLen, opPtr, opLen, ptr, len) => {
          this.#hostResponse = null;
          this.#hostError = null;
          try {
            this.#hostResponse = toBytes(
              this.#hostCall(text(bdPtr, bdLen), text(nsPtr, nsLen), text(opPtr, opLen), bytes(ptr, len).slice()));
            return 1;
          } catch (e) {
            if (!(e instanceof HostError)) throw e;
            this.#hostError = encoder.encode(e.message);
            return 0;
          }
        },
        __host_response_len: () => this.#hostResponse?.length ?? 0,
        __host_response: (ptr) => {
          if (this.#hostResponse) bytes(ptr, this.#hostResponse.length).set(this.#hostResponse);
        },
        __host_error_len: () => this.#hostError?.length ?? 0,
        __host_error: (ptr) => {
          if (this.#hostError) bytes(ptr, this.#hostError.length).set(this.#hostError);
        },
        __console_log: (ptr, len) => {
          this.#wasi.stderr.append(this.#memory.buffer, ptr, len);
        },
      },
    };
  }

  /**
   * Calls `operation` (bytes) with `payload` (bytes) on a fresh instance,
   * after its start functions (_start, where proc_exit(0) is success, then
   * wapc_init, each if exported); returns the response bytes or throws
   * GuestError.
   */
  call(operation, payload) {
    const instance = new WebAssembly.Instance(this.#module, this.#imports);
    const exports = instance.exports;
    this.#memory = exports.memory;
    this.#wasi.reset(exports.memory, EMPTY);
    if (exports._start) {
      try {
        exports._start();
      } catch (e) {
        if (!(e instanceof ProcExit)) throw e;
        if (e.code !== 0) throw new GuestError(`_start exited with code ${e.code}`);
      }
    }
    if (exports.wapc_init) exports.wapc_init();
    this.#operation = operation;
    this.#payload = payload;
    this.#guestResponse = null;
    this.#guestError = null;
    this.#hostResponse = null;
    this.#hostError = null;
    let ok;
    try {
      ok = exports.__guest_call(operation.length, payload.length);
    } catch (e) {
      throw new GuestError(`guest failed: ${e.message}`);
    }
    if (ok === 1 && this.#guestResponse) return this.#guestResponse;
    if (ok === 1) throw new GuestError('the guest reported success but sent no response');
    throw new GuestError(this.#guestError ?? 'No error message set for call failure');
  }
}

/**
 * A Kubewarden WASI-mode policy: argv ["policy.wasm", command], stdin the
 * payload (host.call appends its answer to stdin and returns 0, or 1 with the
 * error text), _start; the exit code is that of proc_exit, else 0.
 */
export class KubewardenWasiHost {
  #module;
  #hostCall;
  #wasi = new Preview1();
  #imports;
  #argv = new Map();

  constructor(module, hostCall = refuseHostCalls) {
    this.#module = module;
    this.#hostCall = hostCall;
    const wasi = this.#wasi;
    const text = (ptr, len) => decoder.decode(new Uint8Array(wasi.memory.buffer, ptr, len));
    const appendToStdin = (bytes) => {
      const rest = wasi.stdin.subarray(wasi.position);
      const joined = new Uint8Array(rest.length + bytes.length);
      joined.set(rest);
      joined.set(bytes, rest.length);
      wasi.stdin = joined;
      wasi.position = 0;
    };
    this.#imports = {
      wasi_snapshot_preview1: wasi.imports,
      host: {
        call: (bdPtr, bdLen, nsPtr, nsLen, opPtr, opLen, ptr, len) => {
          const payload = new Uint8Array(wasi.memory.buffer, ptr, len).slice();
          try {
            appendToStdin(toBytes(this.#hostCall(text(bdPtr, bdLen), text(nsPtr, nsLen), text(opPtr, opLen), payload)));
            return 0;
          } catch (e) {
            if (!(e instanceof HostError)) throw e;
            appendToStdin(encoder.encode(e.message));
            return 1;
          }
        },
      },
    };
  }

  /**
   * Runs the policy once on a fresh instance; returns {exitCode, stdout,
   * stderr} (stdout and stderr as views valid until the next call).
   */
  run(command, stdin) {
    let argv = this.#argv.get(command);
    if (!argv) {
      argv = ['policy.wasm', command].map((a) => encoder.encode(a));
      this.#argv.set(command, argv);
    }
    const instance = new WebAssembly.Instance(this.#module, this.#imports);
    this.#wasi.reset(instance.exports.memory, stdin, argv);
    let exitCode = 0;
    try {
      instance.exports._start();
    } catch (e) {
      if (!(e instanceof ProcExit)) throw e;
      exitCode = e.code;
    }
    return { exitCode, stdout: this.#wasi.stdout.view(), stderr: this.#wasi.stderr.view() };
  }
}
