#!/usr/bin/env node
// The V8 reference of S10 (process cold start): one whole `node` process that
// does what one `k8s-wasm run` does: read and compile the module, evaluate one
// AdmissionReview with it, print the answer. Run it with /usr/bin/time like
// k8s-wasm (benchmarks/coldstart.sh).
//
//   node benchmarks/v8/coldstart.mjs MODULE.wasm REVIEW.json [SETTINGS.json]
//
// The module's kind is detected from its exports as k8s-wasm does: one that
// exports __guest_call is a Kubewarden waPC policy (validate_settings, then
// validate with {"request": <AdmissionRequest>, "settings": ...}); anything
// else is a module of the k8s-wasm WASI contract (validate with
// {"request": <AdmissionReview>, "settings": ...} on stdin). The hosts are the
// lean ones of the throughput reference (hosts.mjs).
import { readFileSync } from 'node:fs';
import { WapcHost, WasiContractHost } from './hosts.mjs';

// TinyGo policies import a few more WASI functions than the lean hosts
// provide: the clock, and the file-system calls of a process without files
// (k8s-wasm answers them the same way: EBADF, no preopened directories). Added
// to the host's import object on first use, before the instance is created.
const EBADF = 8;
let memory = null;
const extraWasi = {
  clock_time_get: (id, precision, ptr) => {
    new DataView(memory.buffer).setBigUint64(ptr, process.hrtime.bigint(), true);
    return 0;
  },
  fd_close: () => EBADF,
  fd_fdstat_get: () => EBADF,
  fd_prestat_get: () => EBADF,
  fd_prestat_dir_name: () => EBADF,
  fd_seek: () => EBADF,
  path_open: () => EBADF,
};
const NativeInstance = WebAssembly.Instance;
WebAssembly.Instance = function Instance(mod, imports) {
  const wasi = imports?.wasi_snapshot_preview1;
  for (const { module: ns, name } of WebAssembly.Module.imports(mod)) {
    if (ns === 'wasi_snapshot_preview1' && wasi && !wasi[name] && extraWasi[name]) wasi[name] = extraWasi[name];
  }
  const instance = new NativeInstance(mod, imports);
  memory = instance.exports.memory;
  return instance;
};

const [modulePath, reviewPath, settingsPath] = process.argv.slice(2);
if (!modulePath || !reviewPath) {
  console.error('usage: node coldstart.mjs MODULE.wasm REVIEW.json [SETTINGS.json]');
  process.exit(2);
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const module = new WebAssembly.Module(readFileSync(modulePath));
const review = JSON.parse(readFileSync(reviewPath, 'utf8'));
const settings = settingsPath ? JSON.parse(readFileSync(settingsPath, 'utf8')) : null;
const exports = WebAssembly.Module.exports(module).map((e) => e.name);

let answer;
if (exports.includes('__guest_call')) {
  const host = new WapcHost(module);
  const checked = JSON.parse(
    decoder.decode(host.call(encoder.encode('validate_settings'), encoder.encode(JSON.stringify(settings ?? {})))),
  );
  if (!checked.valid) throw new Error(`settings rejected: ${checked.message}`);
  const payload = encoder.encode(JSON.stringify({ request: review.request, settings: settings ?? {} }));
  const response = JSON.parse(decoder.decode(host.call(encoder.encode('validate'), payload)));
  answer = { apiVersion: review.apiVersion, kind: review.kind, response: { uid: review.request.uid, allowed: response.accepted } };
} else {
  const host = new WasiContractHost(module);
  const out = JSON.parse(decoder.decode(host.call('validate', encoder.encode(JSON.stringify({ request: review, settings })))));
  if (out.error) throw new Error(out.error);
  answer = out.response;
}
console.log(JSON.stringify(answer));
