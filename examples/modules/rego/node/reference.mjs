#!/usr/bin/env node
// Reference host for the k8s-wasm Rego corpus: evaluates the same compiled
// policies with the official OPA JS SDK (@open-policy-agent/opa-wasm) on V8.
//
//   cd examples/modules/rego/node && npm ci
//   node reference.mjs < cases.json
//
// stdin:  {"cases": [{"name", "module" (path), "entrypoint" (name or id),
//           "data", "input", "mode" ("opa" | "gatekeeper", optional)}]}
// stdout: {"results": [{"name", "resultSet"} | {"name", "error"}]}; with a
//         mode, also "response": {"allowed", "message"?} computed as
//         Kubewarden's policy-server maps OPA and Gatekeeper results.
// One policy is loaded per case (loadPolicy + setData), then evaluated once.
import { readFileSync } from 'node:fs';
import opa from '@open-policy-agent/opa-wasm';

const { loadPolicy } = opa;

// custom built-ins some corpus modules import; the Java side registers the same
const customBuiltins = {
  'custom.func': (name) => `hello ${name}`,
};

function kubewarden(mode, resultSet) {
  if (mode === 'opa') {
    const response = resultSet?.[0]?.result?.response;
    if (response === undefined || response === null || typeof response !== 'object') {
      return { error: 'cannot interpret OPA policy result' };
    }
    const out = { allowed: response.allowed };
    if (typeof response.status?.message === 'string') out.message = response.status.message;
    return out;
  }
  // gatekeeper: a list of violations; anything else counts as none
  const result = resultSet?.[0]?.result;
  if (!Array.isArray(result) || result.length === 0) return { allowed: true };
  return {
    allowed: false,
    message: result.filter((v) => typeof v?.msg === 'string').map((v) => v.msg).join(', '),
  };
}

async function run(c) {
  const policy = await loadPolicy(readFileSync(c.module), undefined, customBuiltins);
  policy.setData(c.data ?? {});
  const resultSet = policy.evaluate(c.input, c.entrypoint ?? 0);
  const out = { name: c.name, resultSet };
  if (c.mode) out.response = kubewarden(c.mode, resultSet);
  return out;
}

const request = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const c of request.cases) {
  try {
    results.push(await run(c));
  } catch (e) {
    results.push({ name: c.name, error: String(e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify({ results }) + '\n');
