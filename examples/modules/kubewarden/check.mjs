#!/usr/bin/env node
// Checks the Kubewarden test policies on Node.js (>= 20): a minimal waPC host
// and a minimal Kubewarden WASI-mode runner, both written from the ABI in
// /work/shared/reference/kubewarden-abi.md. WapcPolicy and runWasiPolicy are
// exported. A conformance reference, not a timing one: they build a node:wasi
// WASI object per instance; the benchmarks time benchmarks/v8/hosts.mjs.
//
//   node examples/modules/kubewarden/check.mjs
//
// waPC host (WapcPolicy): implements the nine "wapc" imports with
// bounds-checked memory access, provides WASI through node:wasi (no args, no
// env, no preopens; guest stdout/stderr and __console_log go to a log), runs
// _start (proc_exit(0) counts as success) and then wapc_init when exported,
// and calls __guest_call. Host capability calls are answered by a callback.
//
// WASI mode (runWasiPolicy): one fresh instance per run with argv
// ["policy.wasm", command]; stdin is an in-memory pipe that reads as EOF when
// drained; host.call returns 0 on success / 1 on error and appends the
// response (or error) bytes to stdin.
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const requestsDir = join(here, '../../requests/kubewarden');
const EBADF = 8;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class ProcExit extends Error {
  constructor(code) { super(`proc_exit(${code})`); this.code = code; }
}
/** The guest failed a call: __guest_call returned 0 (message from __guest_error) or trapped. */
export class GuestError extends Error {}
/** A host callback failure: becomes the host error the guest reads. */
export class HostError extends Error {}
class BoundsError extends Error {}

// Guest memory with bounds checks: a bad (ptr, len) throws BoundsError, which
// unwinds the guest and fails the call instead of crashing the host.
class Memory {
  constructor(memory) { this.memory = memory; }
  bytes(ptr, len) {
    ptr >>>= 0;
    len >>>= 0;
    const size = this.memory.buffer.byteLength;
    if (ptr > size || len > size - ptr) throw new BoundsError(`guest memory access out of bounds: ${ptr}+${len} > ${size}`);
    return new Uint8Array(this.memory.buffer, ptr, len);
  }
  read(ptr, len) { return Buffer.from(this.bytes(ptr, len)); }
  string(ptr, len) { return decoder.decode(this.bytes(ptr, len)); }
  write(ptr, data) { this.bytes(ptr, data.length).set(data); }
  u32(ptr) { return new DataView(this.memory.buffer).getUint32(this.bytes(ptr, 4).byteOffset, true); }
  setU32(ptr, value) { new DataView(this.memory.buffer).setUint32(this.bytes(ptr, 4).byteOffset, value, true); }
  iovecs(ptr, count) {
    return Array.from({ length: count }, (_, i) => [this.u32(ptr + 8 * i), this.u32(ptr + 8 * i + 4)]);
  }
}

// WASI preview1 from node:wasi, with fd_write (stdout/stderr -> log),
// proc_exit (throws ProcExit) and optionally fd_read (stdin) served here.
function wasiImports(args, log, mem, stdin) {
  const wasi = new WASI({ version: 'preview1', args, env: {} });
  const preview1 = { ...wasi.getImportObject().wasi_snapshot_preview1 };
  preview1.fd_write = (fd, iovs, iovsLen, nwritten) => {
    if (fd !== 1 && fd !== 2) return EBADF;
    let total = 0;
    for (const [ptr, len] of mem().iovecs(iovs, iovsLen)) {
      log(fd === 1 ? 'stdout' : 'stderr', mem().read(ptr, len));
      total += len;
    }
    mem().setU32(nwritten, total);
    return 0;
  };
  preview1.proc_exit = (code) => { throw new ProcExit(code); };
  if (stdin) {
    preview1.fd_read = (fd, iovs, iovsLen, nread) => {
      if (fd !== 0) return EBADF;
      let total = 0;
      for (const [ptr, len] of mem().iovecs(iovs, iovsLen)) {
        const chunk = stdin.take(len);
        mem().write(ptr, chunk);
        total += chunk.length;
        if (chunk.length < len) break;
      }
      mem().setU32(nread, total);
      return 0;
    };
  }
  // node:wasi needs the memory before its functions work; initialize() with
  // just the memory binds it without running any start function (the hosts
  // below run _start / wapc_init themselves, as Kubewarden does).
  const bind = (memory) => wasi.initialize({ exports: { memory } });
  return { preview1, bind };
}

// ------------------------------------------------------------ waPC host

// A host capability callback: (binding, namespace, operation, payload: Buffer)
// returns the response (Buffer or string) or throws HostError(message).
const noHostCall = () => { throw new HostError('no host callback'); };

export class WapcPolicy {
  /**
   * Instantiates a waPC policy and (unless start is false, which only a test
   * of a forgetful host wants) runs its start functions.
   */
  static async instantiate(module, { hostCall = noHostCall, start = true } = {}) {
    const policy = new WapcPolicy(hostCall);
    policy.#attach(await WebAssembly.instantiate(module, policy.#imports));
    if (start) policy.start();
    return policy;
  }

  logs = [];                  // [stream, text], stream: 'stdout', 'stderr' or 'console'
  startExit = undefined;      // the code _start passed to proc_exit, if it did
  instance;
  #mem;
  #imports;
  #bindWasi;
  #hostCall;
  // the state of one __guest_call
  #op;
  #msg;
  #guestResponse;
  #guestError;
  #hostResponse;
  #hostError;

  constructor(hostCall) {
    this.#hostCall = hostCall;
    const log = (stream, bytes) => this.logs.push([stream, decoder.decode(bytes)]);
    const { preview1, bind } = wasiImports([], log, () => this.#mem);
    this.#bindWasi = bind;
    this.#imports = { wapc: this.#wapcImports(log), wasi_snapshot_preview1: preview1 };
    this.#reset();
  }

  #attach(instance) {
    this.instance = instance;
    this.#mem = new Memory(instance.exports.memory);
    this.#bindWasi(instance.exports.memory);
  }

  #reset() {
    this.#op = Buffer.alloc(0);
    this.#msg = Buffer.alloc(0);
    this.#guestResponse = null;
    this.#guestError = null;
    this.#hostResponse = null;
    this.#hostError = null;
  }

  #wapcImports(log) {
    const mem = () => this.#mem;
    return {
      __guest_request: (opPtr, msgPtr) => {
        mem().write(opPtr, this.#op);
        mem().write(msgPtr, this.#msg);
      },
      __guest_response: (ptr, len) => { this.#guestResponse = mem().read(ptr, len); },
      __guest_error: (ptr, len) => { this.#guestError = mem().string(ptr, len); },
      __host_call: (bdPtr, bdLen, nsPtr, nsLen, opPtr, opLen, ptr, len) => {
        this.#hostResponse = null;
        this.#hostError = null;
        const binding = mem().string(bdPtr, bdLen);
        const namespace = mem().string(nsPtr, nsLen);
        const operation = mem().string(opPtr, opLen);
        const payload = mem().read(ptr, len);
        try {
          this.#hostResponse = toBytes(this.#hostCall(binding, namespace, operation, payload));
          return 1;
        } catch (e) {
          if (!(e instanceof HostError)) throw e;
          this.#hostError = toBytes(e.message);
          return 0;
        }
      },
      __host_response_len: () => this.#hostResponse?.length ?? 0,
      __host_response: (ptr) => { if (this.#hostResponse) mem().write(ptr, this.#hostResponse); },
      __host_error_len: () => this.#hostError?.length ?? 0,
      __host_error: (ptr) => { if (this.#hostError) mem().write(ptr, this.#hostError); },
      __console_log: (ptr, len) => log('console', mem().read(ptr, len)),
    };
  }

  /** Runs _start (TinyGo; proc_exit(0) is success) then wapc_init (Rust), each if exported. */
  start() {
    const { _start, wapc_init } = this.instance.exports;
    if (_start) {
      try {
        _start();
      } catch (e) {
        if (!(e instanceof ProcExit)) throw e;
        this.startExit = e.code;
        if (e.code !== 0) throw new Error(`_start exited with code ${e.code}`);
      }
    }
    if (wapc_init) wapc_init();
  }

  /** Calls one operation; returns the response bytes or throws GuestError. */
  call(operation, payload = '') {
    this.#reset();
    this.#op = toBytes(operation);
    this.#msg = toBytes(payload);
    let ok;
    try {
      ok = this.instance.exports.__guest_call(this.#op.length, this.#msg.length);
    } catch (e) {
      throw new GuestError(`guest failed: ${e.message}`);
    }
    if (ok === 1 && this.#guestResponse) return this.#guestResponse;
    if (ok === 1) throw new GuestError('the guest reported success but sent no response');
    throw new GuestError(this.#guestError ?? 'No error message set for call failure');
  }

  get memoryBytes() { return this.instance.exports.memory.buffer.byteLength; }
}

function toBytes(data) {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data);
  return Buffer.from(encoder.encode(String(data)));
}

// ------------------------------------------------------- WASI mode runner

// stdin as a pipe: bytes are consumed once; empty reads as EOF.
class Pipe {
  constructor(data) { this.data = toBytes(data); }
  append(data) { this.data = Buffer.concat([this.data, toBytes(data)]); }
  take(max) {
    const chunk = this.data.subarray(0, max);
    this.data = this.data.subarray(chunk.length);
    return chunk;
  }
}

/**
 * Runs a Kubewarden WASI-mode policy once (command: "validate",
 * "validate-settings"; undefined passes no command).
 * @returns {{exitCode: number, stdout: string, stderr: string}}
 */
export async function runWasiPolicy(module, command, stdin, hostCall) {
  const stdinPipe = new Pipe(stdin);
  const out = { stdout: [], stderr: [] };
  let mem;
  const args = command === undefined ? ['policy.wasm'] : ['policy.wasm', command];
  const { preview1, bind } = wasiImports(args, (stream, bytes) => out[stream].push(bytes), () => mem, stdinPipe);
  const host = {
    call: (bdPtr, bdLen, nsPtr, nsLen, opPtr, opLen, ptr, len) => {
      const args = [mem.string(bdPtr, bdLen), mem.string(nsPtr, nsLen), mem.string(opPtr, opLen), mem.read(ptr, len)];
      try {
        stdinPipe.append(toBytes(hostCall(...args)));
        return 0;
      } catch (e) {
        if (!(e instanceof HostError)) throw e;
        stdinPipe.append(e.message);
        return 1;
      }
    },
  };
  const instance = await WebAssembly.instantiate(module, { wasi_snapshot_preview1: preview1, host });
  mem = new Memory(instance.exports.memory);
  bind(instance.exports.memory);
  let exitCode = 0;
  try {
    instance.exports._start();
  } catch (e) {
    if (!(e instanceof ProcExit)) throw e;
    exitCode = e.code;
  }
  const text = (chunks) => decoder.decode(Buffer.concat(chunks));
  return { exitCode, stdout: text(out.stdout), stderr: text(out.stderr) };
}

// ================================================================== checks

const readJson = (name) => JSON.parse(readFileSync(join(requestsDir, name), 'utf8'));
// REQUEST files may hold an AdmissionReview or a bare AdmissionRequest
const admissionRequest = (name) => {
  const doc = readJson(name);
  return doc.kind === 'AdmissionReview' ? doc.request : doc;
};

const DNS_ANSWER = '{"ips":["93.184.215.14"]}';
const NAMESPACE_DEFAULT = {
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'default', uid: '0f5e7a8b-1c2d-4e3f-9a0b-1c2d3e4f5a6b',
    labels: { 'kubernetes.io/metadata.name': 'default' } },
  spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
};

// Text put in front of every host error message (--json mode may set it, e.g.
// to Kubewarden's "Callback evaluation failure: ", so that a host adding it
// can be compared verbatim).
let hostErrorPrefix = '';

// The host capabilities of the checks; every call is recorded in `calls`.
function capabilities() {
  const calls = [];
  const table = {
    'kubewarden/net/v1/dns_lookup_host': (host) => {
      if (host === 'example.com') return DNS_ANSWER;
      throw new HostError(`lookup ${host}: no such host`);
    },
    'kubewarden/kubernetes/can_i': ({ subject_access_review: { user } }) => {
      if (user === 'alice') return JSON.stringify({ allowed: true });
      if (user === 'bob') return JSON.stringify({ allowed: false, reason: 'no RBAC rule matched' });
      throw new HostError('subjectaccessreviews.authorization.k8s.io is forbidden');
    },
    'kubewarden/kubernetes/get_resource': ({ api_version, kind, name }) => {
      if (api_version === 'v1' && kind === 'Namespace' && name === 'default') return JSON.stringify(NAMESPACE_DEFAULT);
      throw new HostError(`namespaces "${name}" not found`);
    },
  };
  const hostCall = (binding, namespace, operation, payload) => {
    const text = decoder.decode(payload);
    calls.push([`${binding}/${namespace}/${operation}`, text]);
    const fn = table[`${binding}/${namespace}/${operation}`];
    if (!fn) throw new HostError(`unknown binding/namespace/operation: ${binding}/${namespace}/${operation}`);
    try {
      return fn(JSON.parse(text));
    } catch (e) {
      if (e instanceof HostError && hostErrorPrefix) throw new HostError(hostErrorPrefix + e.message);
      throw e;
    }
  };
  return { hostCall, calls };
}

// One interface over both transports: run(operation, payload text) ->
// {response: parsed JSON} | {error: message}, plus the host calls made.
const transports = {
  async wapc(file) {
    const module = await WebAssembly.compile(readFileSync(join(here, file)));
    return {
      file,
      async run(operation, payload) {
        const { hostCall, calls } = capabilities();
        const policy = await WapcPolicy.instantiate(module, { hostCall });
        try {
          return { response: JSON.parse(decoder.decode(policy.call(operation, payload))), calls };
        } catch (e) {
          if (!(e instanceof GuestError)) throw e;
          return { error: e.message, calls };
        }
      },
    };
  },
  async wasi(file) {
    const module = await WebAssembly.compile(readFileSync(join(here, file)));
    return {
      file,
      async run(operation, payload) {
        const { hostCall, calls } = capabilities();
        const command = { validate: 'validate', validate_settings: 'validate-settings' }[operation] ?? operation;
        const r = await runWasiPolicy(module, command, payload, hostCall);
        if (r.exitCode === 0) return { response: JSON.parse(r.stdout), calls };
        assert.equal(r.exitCode, 1, `exit code ${r.exitCode}, stderr: ${r.stderr}`);
        assert.equal(r.stdout, '', 'a failed run must not answer on stdout');
        return { error: r.stderr.replace(/\n$/, ''), calls };
      },
    };
  },
};

let passed = 0;
const failed = [];
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed.push(name);
    console.log(`FAIL  ${name}\n      ${String(e.stack ?? e).split('\n').join('\n      ')}`);
  }
}

// exact JSON text: checks member order and verbatim copies too
const sameJson = (actual, expected) => assert.equal(JSON.stringify(actual), JSON.stringify(expected));

const pod = admissionRequest('pod-create.json');
const podForbidden = admissionRequest('pod-create-forbidden.json');
const podBare = admissionRequest('pod-request.json');
const podDelete = admissionRequest('pod-delete.json');
const forbid = readJson('settings-forbid.json');
const mutate = readJson('settings-mutate.json');
const withLabels = (object, labels) => ({ ...object, metadata: { ...object.metadata, labels } });

const CAN_I_ALICE = { user: 'alice', verb: 'create', resource: 'pods', namespace: 'default' };
const CONTEXT_DEFAULT = { api_version: 'v1', kind: 'Namespace', name: 'default' };

// [name, settings, request, check({response, error, calls})]
const validateCases = [
  ['accepts a pod without forbidden labels', forbid, pod, ({ response }) => sameJson(response, { accepted: true })],
  ['accepts a bare AdmissionRequest with empty settings', {}, podBare, ({ response }) => sameJson(response, { accepted: true })],
  ['rejects a forbidden label (message, no code)', forbid, podForbidden, ({ response }) =>
    sameJson(response, { accepted: false, message: 'label forbidden is forbidden' })],
  ['rejects with rejectCode', { ...forbid, rejectCode: 403 }, podForbidden, ({ response }) =>
    sameJson(response, { accepted: false, message: 'label forbidden is forbidden', code: 403 })],
  ['mutates: adds labels, keeps every other field verbatim', mutate, pod, ({ response }) =>
    sameJson(response, { accepted: true, mutated_object: withLabels(pod.object, { app: 'web', owner: 'k8s-wasm' }) })],
  ['mutates: overwrites an existing label in place', { addLabels: { owner: 'k8s-wasm', app: 'api' } }, pod, ({ response }) =>
    sameJson(response.mutated_object.metadata.labels, { app: 'api', owner: 'k8s-wasm' })],
  ['mutates: creates metadata.labels when missing', mutate,
    { ...pod, object: { ...pod.object, metadata: { name: 'web' } } }, ({ response }) =>
      sameJson(response.mutated_object, { ...pod.object, metadata: { name: 'web', labels: { owner: 'k8s-wasm' } } })],
  ['mutates a DELETE (object null): mutated_object built from scratch', mutate, podDelete, ({ response }) =>
    sameJson(response, { accepted: true, mutated_object: { metadata: { labels: { owner: 'k8s-wasm' } } } })],
  ['a forbidden label wins over mutation', { ...forbid, ...mutate }, podForbidden, ({ response }) =>
    sameJson(response, { accepted: false, message: 'label forbidden is forbidden' })],
  ['returns warnings and audit annotations', { warnings: ['w1', 'w2'], annotate: { 'example.com/audit': 'yes' } }, pod,
    ({ response }) => sameJson(response,
      { accepted: true, audit_annotations: { 'example.com/audit': 'yes' }, warnings: ['w1', 'w2'] })],
  ['failWith -> guest error with that text', { failWith: 'boom: requested failure', ...mutate }, pod, ({ error, calls }) => {
    assert.equal(error, 'boom: requested failure');
    assert.equal(calls.length, 0);
  }],
  ['dnsLookup success -> warning dns:<host>=<ip>, after the settings warnings',
    { dnsLookup: 'example.com', warnings: ['first'] }, pod, ({ response, calls }) => {
      sameJson(response, { accepted: true, warnings: ['first', 'dns:example.com=93.184.215.14'] });
      sameJson(calls, [['kubewarden/net/v1/dns_lookup_host', '"example.com"']]);
    }],
  ['dnsLookup host error -> warning dns-error:<text>', { dnsLookup: 'nx.invalid' }, pod, ({ response }) =>
    sameJson(response, { accepted: true, warnings: ['dns-error:lookup nx.invalid: no such host'] })],
  ['canI allowed', { canI: CAN_I_ALICE }, pod, ({ response, calls }) => {
    sameJson(response, { accepted: true, warnings: ['can-i:allowed'] });
    sameJson(calls, [['kubewarden/kubernetes/can_i',
      '{"subject_access_review":{"user":"alice","resource_attributes":{"verb":"create","resource":"pods","namespace":"default"}},"disable_cache":false}']]);
  }],
  ['canI denied', { canI: { ...CAN_I_ALICE, user: 'bob' } }, pod, ({ response }) =>
    sameJson(response, { accepted: true, warnings: ['can-i:denied'] })],
  ['canI host error -> warning can-i-error:<text>', { canI: { ...CAN_I_ALICE, user: 'carol' } }, pod, ({ response }) =>
    sameJson(response, { accepted: true, warnings: ['can-i-error:subjectaccessreviews.authorization.k8s.io is forbidden'] })],
  ['contextResource success -> warning context:<name>', { contextResource: CONTEXT_DEFAULT }, pod, ({ response, calls }) => {
    sameJson(response, { accepted: true, warnings: ['context:default'] });
    sameJson(calls, [['kubewarden/kubernetes/get_resource',
      '{"api_version":"v1","kind":"Namespace","name":"default","disable_cache":false}']]);
  }],
  ['contextResource host error -> rejection "context error: <text>"',
    { contextResource: { ...CONTEXT_DEFAULT, name: 'missing', namespace: 'x' }, ...mutate }, pod, ({ response, calls }) => {
      sameJson(response, { accepted: false, message: 'context error: namespaces "missing" not found' });
      assert.equal(calls[0][1], '{"api_version":"v1","kind":"Namespace","name":"missing","namespace":"x","disable_cache":false}');
    }],
  ['everything at once: order of host calls and warnings',
    { warnings: ['s'], dnsLookup: 'example.com', canI: CAN_I_ALICE, contextResource: CONTEXT_DEFAULT,
      annotate: { a: 'b' }, ...mutate }, pod, ({ response, calls }) => {
      sameJson(response, { accepted: true, mutated_object: withLabels(pod.object, { app: 'web', owner: 'k8s-wasm' }),
        audit_annotations: { a: 'b' }, warnings: ['s', 'dns:example.com=93.184.215.14', 'can-i:allowed', 'context:default'] });
      sameJson(calls.map(([path]) => path),
        ['kubewarden/net/v1/dns_lookup_host', 'kubewarden/kubernetes/can_i', 'kubewarden/kubernetes/get_resource']);
    }],
];

const settingsCases = [
  ['{}', {}, { valid: true }],
  ['null', null, { valid: true }],
  ['settings-forbid.json', forbid, { valid: true }],
  ['settings-mutate.json', mutate, { valid: true }],
  ['every setting', { forbiddenLabels: ['a'], addLabels: { b: 'c' }, dnsLookup: 'example.com', canI: CAN_I_ALICE,
    contextResource: CONTEXT_DEFAULT, failWith: 'x', warnings: ['w'], annotate: { d: 'e' }, rejectCode: 418 }, { valid: true }],
  ['forbiddenLabels a string', { forbiddenLabels: 'forbidden' },
    { valid: false, message: 'forbiddenLabels must be a list of strings' }],
  ['forbiddenLabels with a number', { forbiddenLabels: ['a', 1] },
    { valid: false, message: 'forbiddenLabels must be a list of strings' }],
  ['addLabels with a number value', { addLabels: { owner: 1 } },
    { valid: false, message: 'addLabels must be an object mapping label names to string values' }],
  ['addLabels a list', { addLabels: ['owner'] },
    { valid: false, message: 'addLabels must be an object mapping label names to string values' }],
  ['rejectCode a string', { rejectCode: '403' }, { valid: false, message: 'rejectCode must be an integer' }],
  ['canI without verb', { canI: { user: 'alice', resource: 'pods' } },
    { valid: false, message: 'canI must be an object with string members user, verb, resource and optionally namespace' }],
];

async function moduleChecks() {
  const wapcImports = ['__host_call', '__host_response_len', '__host_error_len', '__host_response', '__host_error',
    '__guest_error', '__guest_request', '__guest_response', '__console_log'].map((n) => `wapc.${n}`).sort();
  const metadata = JSON.parse(readFileSync(join(here, 'metadata-wapc.json'), 'utf8'));
  const shape = (file) => {
    const module = new WebAssembly.Module(readFileSync(join(here, file)));
    const sections = WebAssembly.Module.customSections(module, 'io.kubewarden.metadata');
    return {
      imports: WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`).sort(),
      exports: WebAssembly.Module.exports(module).map((e) => e.name).sort(),
      metadata: sections.map((s) => JSON.parse(decoder.decode(s))),
      metadataText: sections.map((s) => decoder.decode(s)),
    };
  };
  await check('policy_wapc_start.wasm: imports, exports, metadata', () => {
    const s = shape('policy_wapc_start.wasm');
    assert.deepEqual(s.imports, [...wapcImports, 'wasi_snapshot_preview1.fd_write', 'wasi_snapshot_preview1.proc_exit'].sort());
    assert.deepEqual(s.exports, ['__guest_call', '_start', 'memory']);
    assert.deepEqual(s.metadataText, [JSON.stringify(metadata)]);
  });
  await check('policy_wapc_init.wasm: imports, exports (no _start, no _initialize), metadata', () => {
    const s = shape('policy_wapc_init.wasm');
    assert.deepEqual(s.imports, wapcImports);
    assert.deepEqual(s.exports, ['__guest_call', 'memory', 'wapc_init']);
    assert.deepEqual(s.metadataText, [JSON.stringify(metadata)]);
  });
  await check('policy_wapc_nometa.wasm: as policy_wapc_start.wasm without metadata', () => {
    const s = shape('policy_wapc_nometa.wasm');
    const start = shape('policy_wapc_start.wasm');
    assert.deepEqual([s.imports, s.exports], [start.imports, start.exports]);
    assert.deepEqual(s.metadata, []);
  });
  await check('policy_wasi.wasm: imports host.call, exports _start, metadata executionMode wasi', () => {
    const s = shape('policy_wasi.wasm');
    assert.deepEqual(s.imports, ['host.call', ...['args_get', 'args_sizes_get', 'fd_read', 'fd_write', 'proc_exit']
      .map((n) => `wasi_snapshot_preview1.${n}`)]);
    assert.deepEqual(s.exports, ['_start', 'memory']);
    assert.deepEqual(s.metadata, [{ ...metadata, executionMode: 'wasi' }]);
  });
  await check('session-dns.yml answers example.com like the check table', () => {
    const session = readFileSync(join(requestsDir, 'session-dns.yml'), 'utf8');
    assert.match(session, /!DNSLookupHost\n\s+host: example\.com\n/);
    assert.equal(session.match(/payload: '(.*)'/)[1], DNS_ANSWER);
  });
}

async function wapcOnlyChecks(file) {
  const module = await WebAssembly.compile(readFileSync(join(here, file)));
  const { hostCall } = capabilities();
  await check(`${file}: start functions, protocol_version, logs`, async () => {
    const policy = await WapcPolicy.instantiate(module, { hostCall });
    assert.equal(policy.call('protocol_version').toString(), '"v1"');
    const logs = policy.logs.map(([stream, text]) => `${stream}: ${text}`);
    if (WebAssembly.Module.exports(module).some((e) => e.name === '_start')) {
      assert.equal(policy.startExit, 0, '_start ends with proc_exit(0)');
      assert.deepEqual(logs, ['console: k8s-wasm test policy: handlers registered',
        'stderr: k8s-wasm test policy: _start done, exiting with proc_exit(0)\n']);
    } else {
      assert.equal(policy.startExit, undefined);
      assert.deepEqual(logs, ['console: k8s-wasm test policy: handlers registered']);
    }
  });
  await check(`${file}: unknown operation -> guest error`, async () => {
    const policy = await WapcPolicy.instantiate(module, { hostCall });
    assert.throws(() => policy.call('frobnicate', '{}'), new GuestError('unknown operation: frobnicate'));
  });
  await check(`${file}: invalid validate payload -> guest error`, async () => {
    const policy = await WapcPolicy.instantiate(module, { hostCall });
    assert.throws(() => policy.call('validate', '{"settings":{}}'),
      new GuestError('invalid validate payload: "request" is missing or not a JSON object'));
    assert.throws(() => policy.call('validate', '{"request":'),
      new GuestError('invalid validate payload: invalid JSON at byte 11: unexpected end of input'));
  });
  await check(`${file}: a host that skips the start functions gets "handlers not registered"`, async () => {
    const policy = await WapcPolicy.instantiate(module, { hostCall, start: false });
    assert.throws(() => policy.call('protocol_version'), new GuestError('handlers not registered'));
    policy.start();
    assert.equal(policy.call('protocol_version').toString(), '"v1"');
  });
  await check(`${file}: one instance serves 3000 calls without growing memory`, async () => {
    const policy = await WapcPolicy.instantiate(module, { hostCall });
    const payload = JSON.stringify({ request: pod, settings: { ...mutate, dnsLookup: 'example.com', canI: CAN_I_ALICE,
      contextResource: CONTEXT_DEFAULT, warnings: ['w'], annotate: { a: 'b' } } });
    const first = policy.call('validate', payload).toString();
    let size;
    for (let i = 0; i < 3000; i++) {
      if (i === 100) size = policy.memoryBytes;
      assert.equal(policy.call(i % 2 ? 'validate' : 'validate_settings', i % 2 ? payload : '{}').toString(),
        i % 2 ? first : '{"valid":true}');
      if (i % 500 === 0) assert.throws(() => policy.call('nope'), GuestError);
    }
    assert.equal(policy.memoryBytes, size);
  });
}

// A guest that answers with an out-of-bounds pointer (wat2wasm of):
//   (module
//     (import "wapc" "__guest_response" (func $response (param i32 i32)))
//     (memory (export "memory") 1)
//     (func (export "__guest_call") (param i32 i32) (result i32)
//       (call $response (i32.const 65500) (i32.const 100))
//       (i32.const 1)))
const OUT_OF_BOUNDS_GUEST = 'AGFzbQEAAAABDAJgAn9/AGACf38BfwIZAQR3YXBjEF9fZ3Vlc3RfcmVzcG9uc2UAAAMCAQEFAwEAAQcZAgZtZW1vcnkCAAxf' +
  'X2d1ZXN0X2NhbGwAAQoPAQ0AQdz/A0HkABAAQQEL';

async function hostChecks() {
  await check('waPC host: an out-of-bounds guest pointer is a guest error, not a host crash', async () => {
    const module = await WebAssembly.compile(Buffer.from(OUT_OF_BOUNDS_GUEST, 'base64'));
    const policy = await WapcPolicy.instantiate(module);
    assert.throws(() => policy.call('validate', '{}'),
      new GuestError('guest failed: guest memory access out of bounds: 65500+100 > 65536'));
  });
}

async function wasiOnlyChecks(file) {
  const module = await WebAssembly.compile(readFileSync(join(here, file)));
  const { hostCall } = capabilities();
  await check(`${file}: unknown or missing command -> exit 2 with a message on stderr`, async () => {
    const r = await runWasiPolicy(module, 'protocol-version', '', hostCall);
    assert.deepEqual(r, { exitCode: 2, stdout: '',
      stderr: 'unknown command (expected validate or validate-settings): protocol-version\n' });
    assert.deepEqual(await runWasiPolicy(module, undefined, '', hostCall), { exitCode: 2, stdout: '',
      stderr: 'unknown command (expected validate or validate-settings): <none>\n' });
  });
  await check(`${file}: exit code 0 on success, without proc_exit`, async () => {
    const r = await runWasiPolicy(module, 'validate-settings', '{}', hostCall);
    assert.deepEqual(r, { exitCode: 0, stdout: '{"valid":true}', stderr: '' });
  });
}

async function main() {
  await moduleChecks();
  const modules = [
    await transports.wapc('policy_wapc_start.wasm'),
    await transports.wapc('policy_wapc_init.wasm'),
    await transports.wapc('policy_wapc_nometa.wasm'),
    await transports.wasi('policy_wasi.wasm'),
  ];
  for (const policy of modules) {
    for (const [name, settings, request, expect] of validateCases)
      await check(`${policy.file}: validate: ${name}`, async () =>
        expect(await policy.run('validate', JSON.stringify({ request, settings }))));
    for (const [name, settings, expected] of settingsCases)
      await check(`${policy.file}: validate_settings ${name}`, async () =>
        sameJson((await policy.run('validate_settings', JSON.stringify(settings))).response, expected));
    await check(`${policy.file}: validate_settings with invalid JSON`, async () =>
      sameJson((await policy.run('validate_settings', '{"forbiddenLabels": [')).response,
        { valid: false, message: 'settings are not a JSON object: invalid JSON at byte 21: unexpected end of input' }));
  }
  for (const file of ['policy_wapc_start.wasm', 'policy_wapc_init.wasm', 'policy_wapc_nometa.wasm']) await wapcOnlyChecks(file);
  await wasiOnlyChecks('policy_wasi.wasm');
  await hostChecks();

  console.log(`\n${passed} passed, ${failed.length} failed`);
  if (failed.length) process.exitCode = 1;
}

// --json: answers cases read from stdin with the reference hosts, for other
// hosts' tests to compare with (k8s-wasm's kubewarden-compat tests do).
//   stdin:  {"hostErrorPrefix": "...", "cases": [{"module": "policy_wasi.wasm",
//            "operation": "validate" | "validate_settings" | ..., "payload": "<text>"}]}
//   stdout: [{"response": <parsed JSON>, "calls": [[path, payload]]}
//            | {"error": "<guest error or WASI stderr>", "calls": [...]}], one per case
// Modules are looked up beside this script; policy_wasi*.wasm runs in WASI mode.
async function jsonMode() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  hostErrorPrefix = input.hostErrorPrefix ?? '';
  const loaded = new Map();
  const results = [];
  for (const { module, operation, payload } of input.cases) {
    if (!loaded.has(module)) {
      loaded.set(module, await (module.startsWith('policy_wasi') ? transports.wasi(module) : transports.wapc(module)));
    }
    results.push(await loaded.get(module).run(operation, payload));
  }
  process.stdout.write(JSON.stringify(results));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // node:wasi is experimental in Node 20: keep its one-time warning out of the report
  process.removeAllListeners('warning');
  process.on('warning', (w) => { if (w.name !== 'ExperimentalWarning' || !w.message.includes('WASI')) console.warn(w); });
  if (process.argv.includes('--json')) await jsonMode();
  else await main();
}
