#!/usr/bin/env node
// The V8 reference of benchmark scenario S9 (a Rego policy): the OPA-mode
// Kubewarden policy examples/modules/rego/kubewarden/no-default-namespace-rego.wasm
// run by the official OPA JS SDK (@open-policy-agent/opa-wasm, installed by
// `npm ci` in examples/modules/rego/node) as a lean host would: the policy is
// loaded once; each call parses the AdmissionReview bytes, evaluates
// entrypoint 0 on {"request": request} (the SDK reuses its instance and resets
// the heap, a fresh evaluation) and reads allowed/message from the result.
//
//   node benchmarks/v8/rego.mjs [--seconds S] [--warmup S] > v8-rego.json
//
// Prints {node, v8, seconds, warmup, scenarios: {S9: {p50_us, p99_us,
// mean_us, ops_per_s, calls, request_bytes}}}, the shape of bench.mjs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const rego = join(root, 'examples', 'modules', 'rego');
const require = createRequire(join(rego, 'node', 'package.json'));
const { loadPolicy } = require('@open-policy-agent/opa-wasm');
const args = process.argv.slice(2);
const option = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = option('--seconds', 2);
const warmup = option('--warmup', 1);

function measure(name, call) {
  if (!call()) throw new Error(`${name}: no result`);
  const until = (s) => process.hrtime.bigint() + BigInt(Math.round(s * 1e9));
  for (const end = until(warmup); process.hrtime.bigint() < end;) call();
  const samples = [];
  const start = process.hrtime.bigint();
  for (const end = until(seconds); process.hrtime.bigint() < end;) {
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

const policy = await loadPolicy(readFileSync(join(rego, 'kubewarden', 'no-default-namespace-rego.wasm')));
policy.setData({});
const review = readFileSync(join(rego, 'requests', 'pod-default-namespace.json'));
const S9 = measure('S9', () => {
  const request = JSON.parse(review).request;
  const response = policy.evaluate({ request })[0].result.response;
  if (response.allowed !== false) throw new Error('S9: the policy should deny');
  return { uid: request.uid, allowed: response.allowed, message: response.status.message };
});
S9.request_bytes = review.length;
console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, seconds, warmup, scenarios: { S9 } }, null, 2));
