#!/usr/bin/env node
// The V8 reference of the benchmark protocol (benchmarks.md): the same .wasm
// modules and the same input bytes as the JMH benchmarks, run by Node.js with
// the same isolation as k8s-wasm's "fresh" strategy: a fresh
// WebAssembly.Instance per call from a WebAssembly.Module compiled once. The
// hosts (hosts.mjs) are as lean as ours: their imports are plain JS functions
// over in-memory buffers, created once per module before anything is timed;
// a timed call creates the instance, runs the guest and parses its answer.
//
//   node benchmarks/v8/bench.mjs INPUT_DIR [--seconds S] [--warmup S] [--calls N] > v8.json
//   node benchmarks/v8/bench.mjs INPUT_DIR --answers > answers.json
//
// Prints one JSON object: {node, v8, host, scenarios: {S1: {p50_us, p99_us,
// mean_us, ops_per_s, calls}, ...}, cold: {...}}. --calls N measures exactly N
// calls per scenario (instead of S seconds); --answers prints each scenario's
// answer text instead ({S1: "<stdout>", ..., S4W: {exitCode, stdout, stderr}}).
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { KubewardenWasiHost, WapcHost, WasiContractHost } from './hosts.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const modules = join(root, 'examples', 'modules');
const args = process.argv.slice(2);
const inputs = args[0] && !args[0].startsWith('--') ? args[0] : join(root, 'benchmarks', 'target', 'run', 'inputs');
const option = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = option('--seconds', 2);
const warmup = option('--warmup', 1);
const calls = option('--calls', 0);
const answersOnly = args.includes('--answers');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function measure(name, call) {
  if (!call()) throw new Error(`${name}: no result`);
  const until = (s) => process.hrtime.bigint() + BigInt(Math.round(s * 1e9));
  for (const end = until(warmup); process.hrtime.bigint() < end;) call();
  const samples = [];
  const start = process.hrtime.bigint();
  const more = calls > 0 ? () => samples.length < calls : ((end) => () => process.hrtime.bigint() < end)(until(seconds));
  while (more()) {
    const t0 = process.hrtime.bigint();
    call();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { p50_us: pct(50), p99_us: pct(99), mean_us: mean, ops_per_s: samples.length / elapsed, calls: samples.length };
}

// Everything below up to the scenarios is set up once, outside the timed calls.
const compile = (file) => new WebAssembly.Module(readFileSync(file));
const input = (s) => new Uint8Array(readFileSync(join(inputs, `${s}.json`)));
const validator = new WasiContractHost(compile(join(modules, 'magic_validator.wasm')));
const authenticator = new WasiContractHost(compile(join(modules, 'magic_authenticator.wasm')));
const mutator = new WasiContractHost(compile(join(modules, 'magic_mutator.wasm')));
const wapc = new WapcHost(compile(join(modules, 'kubewarden', 'policy_wapc_start.wasm')));
const wasiPolicy = new KubewardenWasiHost(compile(join(modules, 'kubewarden', 'policy_wasi.wasm')));
// S8: real TinyGo-built Kubewarden policies (benchmarks/modules/kubewarden)
const realPolicies = join(root, 'benchmarks', 'modules', 'kubewarden');
const denyList = new WapcHost(compile(join(realPolicies, 'pod-name-deny-list.wasm')));
const safeLabels = new WapcHost(compile(join(realPolicies, 'safe-labels.wasm')));
const VALIDATE = encoder.encode('validate');
const s1 = input('S1');
const s2 = input('S2');
const s3 = input('S3');
const s4 = input('S4'); // the waPC validate payload
const s4w = input('S4W'); // the same bytes, on the WASI-mode policy's stdin
const s7 = input('S7');
const s8d = input('S8D'); // the waPC validate payloads, settings included
const s8r = input('S8R');

// One timed call per scenario: the host call and parsing the answer.
const json = (bytes) => JSON.parse(decoder.decode(bytes));
const runWasiPolicy = () => {
  const r = wasiPolicy.run('validate', s4w);
  if (r.exitCode !== 0) throw new Error(`policy_wasi.wasm exited with ${r.exitCode}: ${decoder.decode(r.stderr)}`);
  return json(r.stdout);
};
const scenarioCalls = {
  S1: () => json(validator.call('validate', s1)),
  S2: () => json(authenticator.call('authn', s2)),
  S3: () => json(mutator.call('validate', s3)),
  S4: () => json(wapc.call(VALIDATE, s4)),
  S4W: runWasiPolicy,
  S7: () => json(validator.call('validate', s7)),
  S8D: () => json(denyList.call(VALIDATE, s8d)),
  S8R: () => json(safeLabels.call(VALIDATE, s8r)),
};

if (answersOnly) {
  const text = (bytes) => decoder.decode(bytes);
  const r = wasiPolicy.run('validate', s4w);
  const answers = {
    S1: text(validator.call('validate', s1)),
    S2: text(authenticator.call('authn', s2)),
    S3: text(mutator.call('validate', s3)),
    S4: text(wapc.call(VALIDATE, s4)),
    S4W: { exitCode: r.exitCode, stdout: text(r.stdout), stderr: text(r.stderr) },
    S7: text(validator.call('validate', s7)),
    S8D: text(denyList.call(VALIDATE, s8d)),
    S8R: text(safeLabels.call(VALIDATE, s8r)),
  };
  console.log(JSON.stringify(answers));
} else {
  const scenarios = {};
  for (const [name, call] of Object.entries(scenarioCalls)) scenarios[name] = measure(name, call);
  scenarios.S7.request_bytes = s7.length;

  // S6 reference: compiling the 1 MB+ module, each time with different bytes (a custom section
  // holding the round's number), so that V8's in-process module cache cannot answer: with V8's
  // defaults (lazy: the module is validated, each function compiled by Liftoff on its first
  // call) and eagerly (every function compiled by Liftoff up front). No persistent code cache.
  const big = readFileSync(join(root, 'benchmarks', 'modules', 'big_validator.wasm'));
  const variant = (round) => {
    const payload = encoder.encode(`\x0ek8s-wasm-bench${String(round).padStart(4, '0')}`);
    return Buffer.concat([big, Buffer.from([0, payload.length]), payload]);
  };
  const medianCompileMs = (first) => {
    const ms = [];
    for (let i = 0; i < 5; i++) {
      const bytes = variant(first + i);
      const t0 = process.hrtime.bigint();
      new WebAssembly.Module(bytes);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return ms.sort((a, b) => a - b)[2];
  };
  const cold = { big_validator_compile_ms_median: medianCompileMs(0) };
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  cold.big_validator_compile_eager_ms_median = medianCompileMs(100);
  v8.setFlagsFromString('--wasm-lazy-compilation');
  const host = 'benchmarks/v8/hosts.mjs: imports built once per module, a fresh WebAssembly.Instance per call';
  console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, host, seconds, warmup, calls, scenarios, cold }, null, 2));
}
