// A deliberately wasteful host for V8ReferenceTest: as the first V8 reference
// did, it builds a node:wasi WASI object and its import object for every call
// (magic_validator's validate, CALLS times, stdin served from memory). The test
// shows that count-imports.mjs reports such a host, so that its check of
// bench.mjs can fail.
//   CALLS=N node --import count-imports.mjs node-wasi-host.mjs MODULE.wasm INPUT.json
import { WASI } from 'node:wasi';
import { readFileSync } from 'node:fs';

const [file, inputFile] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));
const input = readFileSync(inputFile);
let answers = 0;
for (let call = 0; call < Number(process.env.CALLS ?? 10); call++) {
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  const imports = wasi.getImportObject();
  let memory;
  let position = 0;
  const out = [];
  const iovec = (ptr, i) => {
    const view = new DataView(memory.buffer);
    return [view.getUint32(ptr + 8 * i, true), view.getUint32(ptr + 8 * i + 4, true)];
  };
  const preview1 = {
    ...imports.wasi_snapshot_preview1,
    fd_read: (fd, iovs, count, nread) => {
      let total = 0;
      for (let i = 0; i < count; i++) {
        const [ptr, len] = iovec(iovs, i);
        const n = Math.min(len, input.length - position);
        new Uint8Array(memory.buffer, ptr, n).set(input.subarray(position, position + n));
        position += n;
        total += n;
        if (n < len) break;
      }
      new DataView(memory.buffer).setUint32(nread, total, true);
      return 0;
    },
    fd_write: (fd, iovs, count, nwritten) => {
      let total = 0;
      for (let i = 0; i < count; i++) {
        const [ptr, len] = iovec(iovs, i);
        if (fd === 1) out.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
        total += len;
      }
      new DataView(memory.buffer).setUint32(nwritten, total, true);
      return 0;
    },
  };
  const instance = new WebAssembly.Instance(module, { ...imports, wasi_snapshot_preview1: preview1 });
  memory = instance.exports.memory;
  wasi.initialize(instance);
  instance.exports.validate();
  if (JSON.parse(Buffer.concat(out).toString('utf8')).response) answers++;
}
console.log(JSON.stringify({ answers }));
