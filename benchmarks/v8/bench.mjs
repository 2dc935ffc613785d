#!/usr/bin/env node
// The V8 reference of the benchmark protocol (benchmarks.md): the same .wasm
// modules and the same input bytes as the JMH benchmarks, run by Node.js with
// the same isolation: a fresh WebAssembly.Instance per call, from a
// WebAssembly.Module compiled once; WASI through node:wasi (stdin/stdout served
// from memory, as examples/modules/check.mjs does); waPC through the WapcPolicy
// host of examples/modules/kubewarden/check.mjs.
//
//   node benchmarks/v8/bench.mjs INPUT_DIR [--seconds S] [--warmup S] > v8.json
//
// Prints one JSON object: {node, v8, scenarios: {S1: {p50_us, p99_us, mean_us,
// ops_per_s, calls}, ...}, cold: {...}}.
import { WASI } from 'node:wasi';
process.removeAllListeners('warning');
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { WapcPolicy } from '../../examples/modules/kubewarden/check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const modules = join(root, 'examples', 'modules');
const args = process.argv.slice(2);
const inputs = args[0] ?? join(root, 'benchmarks', 'target', 'inputs');
const option = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = option('--seconds', 2);
const warmup = option('--warmup', 1);

class ProcExit extends Error { constructor(code) { super(`proc_exit(${code})`); this.code = code; } }

// One WASI contract call: fresh WASI + instance, _initialize, export, parse stdout.
function wasiCall(module, exportName, input) {
  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  const imports = wasi.getImportObject();
  const preview1 = { ...imports.wasi_snapshot_preview1 };
  let memory;
  let pos = 0;
  const chunks = [];
  const iovecs = (ptr, count) => {
    const view = new DataView(memory.buffer);
    const out = [];
    for (let i = 0; i < count; i++) out.push([view.getUint32(ptr + 8 * i, true), view.getUint32(ptr + 8 * i + 4, true)]);
    return out;
  };
  preview1.fd_read = (fd, iovs, iovsLen, nread) => {
    if (fd !== 0) return 8;
    let total = 0;
    for (const [ptr, len] of iovecs(iovs, iovsLen)) {
      const n = Math.min(len, input.length - pos);
      new Uint8Array(memory.buffer, ptr, n).set(input.subarray(pos, pos + n));
      pos += n;
      total += n;
      if (n < len) break;
    }
    new DataView(memory.buffer).setUint32(nread, total, true);
    return 0;
  };
  preview1.fd_write = (fd, iovs, iovsLen, nwritten) => {
    if (fd !== 1 && fd !== 2) return 8;
    let total = 0;
    for (const [ptr, len] of iovecs(iovs, iovsLen)) {
      if (fd === 1) chunks.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
      total += len;
    }
    new DataView(memory.buffer).setUint32(nwritten, total, true);
    return 0;
  };
  preview1.proc_exit = (code) => { throw new ProcExit(code); };
  imports.wasi_snapshot_preview1 = preview1;
  const instance = new WebAssembly.Instance(module, imports);
  memory = instance.exports.memory;
  wasi.initialize(instance);
  try {
    instance.exports[exportName]();
  } catch (e) {
    if (!(e instanceof ProcExit) || e.code !== 0) throw e;
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function measure(name, call) {
  const first = await call();
  if (!first) throw new Error(`${name}: no result`);
  const until = (s) => process.hrtime.bigint() + BigInt(Math.round(s * 1e9));
  for (const end = until(warmup); process.hrtime.bigint() < end;) await call();
  const samples = [];
  const start = process.hrtime.bigint();
  for (const end = until(seconds); process.hrtime.bigint() < end;) {
    const t0 = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { p50_us: pct(50), p99_us: pct(99), mean_us: mean, ops_per_s: samples.length / elapsed, calls: samples.length };
}

const compile = (file) => new WebAssembly.Module(readFileSync(file));
const scenarios = {};
const validator = compile(join(modules, 'magic_validator.wasm'));
const authenticator = compile(join(modules, 'magic_authenticator.wasm'));
const mutator = compile(join(modules, 'magic_mutator.wasm'));
const input = (s) => readFileSync(join(inputs, `${s}.json`));
const s1 = input('S1');
scenarios.S1 = await measure('S1', () => wasiCall(validator, 'validate', s1));
const s2 = input('S2');
scenarios.S2 = await measure('S2', () => wasiCall(authenticator, 'authn', s2));
const s3 = input('S3');
scenarios.S3 = await measure('S3', () => wasiCall(mutator, 'validate', s3));
const wapc = compile(join(modules, 'kubewarden', 'policy_wapc_start.wasm'));
const s4 = input('S4');
scenarios.S4 = await measure('S4', async () => {
  const policy = await WapcPolicy.instantiate(wapc);
  return JSON.parse(Buffer.from(policy.call('validate', s4)).toString('utf8'));
});
const s7 = input('S7');
scenarios.S7 = await measure('S7', () => wasiCall(validator, 'validate', s7));
scenarios.S7.request_bytes = s7.length;

// S6 reference: compiling the 1 MB+ module (V8 has no persistent code cache here).
const big = readFileSync(join(root, 'benchmarks', 'modules', 'big_validator.wasm'));
const compileMs = [];
for (let i = 0; i < 5; i++) {
  const t0 = process.hrtime.bigint();
  await WebAssembly.compile(big);
  compileMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
compileMs.sort((a, b) => a - b);
const cold = { big_validator_compile_ms_median: compileMs[2] };

console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, seconds, warmup, scenarios, cold }, null, 2));
