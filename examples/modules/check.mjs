#!/usr/bin/env node
// Checks the example and hostile modules on Node.js (>= 20) with node:wasi.
//
//   node examples/modules/check.mjs                   run every check
//   node examples/modules/check.mjs run <module.wasm> <export> [--calls N] [--limit BYTES]
//        run one module like the k8s-wasm host does: stdin of this process is
//        the input envelope; prints a JSON report of each call
//
// Every check runs the module in a child process (run mode) with a timeout, so
// endless loops cannot hang the checker. Run mode instantiates the module with
// node:wasi, runs _initialize if exported (wasi.initialize), then calls the
// export. stdin/stdout/stderr are served from memory (fd_read / fd_write are
// replaced) so that stdout can be capped like the host does, and proc_exit is
// reported instead of ending the process.
import { WASI } from 'node:wasi';
process.removeAllListeners('warning'); // silence "WASI is an experimental feature"
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const EBADF = 8;

class ProcExit extends Error { constructor(code) { super(`proc_exit(${code})`); this.code = code; } }
class OutputLimit extends Error { constructor(limit) { super(`output exceeds ${limit} bytes`); } }

// ------------------------------------------------------------------ run mode

const ABBREVIATE = 4 << 20; // strings / stdout longer than this are reported as "<N chars...>"

function abbreviate(value) { // long strings -> "<N chars: set of chars>"
  if (typeof value === 'string' && value.length > ABBREVIATE) return `<${value.length} chars: ${[...new Set(value)].join('')}>`;
  if (Array.isArray(value)) return value.map(abbreviate);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]));
  return value;
}

async function runMode(file, exportName, calls, limit) {
  const input = readFileSync(0);
  const report = { imports: [], exports: [], calls: [] };
  let module;
  try {
    module = await WebAssembly.compile(readFileSync(file));
  } catch (e) {
    return { ...report, outcome: 'compile-error', message: e.message };
  }
  report.imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  report.exports = WebAssembly.Module.exports(module).map((e) => e.name);
  if (!report.exports.includes(exportName)) return { ...report, outcome: 'missing-export' };

  const wasi = new WASI({ version: 'preview1', args: [], env: {} });
  const importObject = wasi.getImportObject();
  const preview1 = { ...importObject.wasi_snapshot_preview1 };
  let memory, stdin, stdinPos, out;
  const iovecs = (ptr, count) => {
    const view = new DataView(memory.buffer);
    return Array.from({ length: count }, (_, i) => [view.getUint32(ptr + 8 * i, true), view.getUint32(ptr + 8 * i + 4, true)]);
  };
  preview1.fd_read = (fd, iovs, iovsLen, nread) => {
    if (fd !== 0) return EBADF;
    let total = 0;
    for (const [ptr, len] of iovecs(iovs, iovsLen)) {
      const n = Math.min(len, stdin.length - stdinPos);
      new Uint8Array(memory.buffer, ptr, n).set(stdin.subarray(stdinPos, stdinPos + n));
      stdinPos += n;
      total += n;
      if (n < len) break;
    }
    new DataView(memory.buffer).setUint32(nread, total, true);
    return 0;
  };
  preview1.fd_write = (fd, iovs, iovsLen, nwritten) => {
    if (fd !== 1 && fd !== 2) return EBADF;
    const stream = fd === 1 ? out.stdout : out.stderr;
    let total = 0;
    for (const [ptr, len] of iovecs(iovs, iovsLen)) {
      stream.bytes += len;
      if (limit && stream.bytes > limit) throw new OutputLimit(limit);
      stream.chunks.push(Buffer.from(new Uint8Array(memory.buffer, ptr, len)));
      total += len;
    }
    new DataView(memory.buffer).setUint32(nwritten, total, true);
    return 0;
  };
  preview1.proc_exit = (code) => { throw new ProcExit(code); };
  importObject.wasi_snapshot_preview1 = preview1;

  let instance;
  try {
    instance = await WebAssembly.instantiate(module, importObject);
  } catch (e) {
    return { ...report, outcome: 'link-error', message: e.message };
  }
  memory = instance.exports.memory;
  wasi.initialize(instance); // runs _initialize if the module exports it

  for (let c = 0; c < calls; c++) {
    stdin = input;
    stdinPos = 0;
    out = { stdout: { bytes: 0, chunks: [] }, stderr: { bytes: 0, chunks: [] } };
    const call = { outcome: 'ok' };
    try {
      instance.exports[exportName]();
    } catch (e) {
      if (e instanceof ProcExit) Object.assign(call, { outcome: 'exit', code: e.code });
      else if (e instanceof OutputLimit) Object.assign(call, { outcome: 'output-limit', message: e.message });
      else Object.assign(call, { outcome: 'trap', message: `${e.constructor.name}: ${e.message}` });
    }
    const stdout = Buffer.concat(out.stdout.chunks).toString('utf8');
    call.stdoutBytes = out.stdout.bytes;
    call.stdout = stdout.length > ABBREVIATE ? `<${stdout.length} chars>` : stdout;
    try { call.json = abbreviate(JSON.parse(stdout)); } catch { /* not JSON */ }
    call.stderr = Buffer.concat(out.stderr.chunks).toString('utf8');
    call.memoryPages = memory.buffer.byteLength / 65536;
    report.calls.push(call);
    if (call.outcome !== 'ok') break;
  }
  return report;
}

// ----------------------------------------------------------------- test mode

const DEFAULT_LIMIT = 16 << 20;

function run(module, exportName, input, { calls = 1, limit = DEFAULT_LIMIT, timeout = 10000, nodeArgs = [] } = {}) {
  const stdin = typeof input === 'string' || Buffer.isBuffer(input) ? input : JSON.stringify(input);
  const r = spawnSync(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), 'run', join(here, module), exportName,
    '--calls', String(calls), '--limit', String(limit)], { input: stdin, timeout, maxBuffer: 64 << 20 });
  if (r.error?.code === 'ETIMEDOUT' || (r.signal && r.stdout.length === 0)) return { outcome: 'timeout', signal: r.signal };
  if (r.status !== 0) throw new Error(`runner failed (${r.status}): ${r.stderr}`);
  const report = JSON.parse(r.stdout.toString());
  if (report.outcome) return report;
  return { ...report, ...report.calls[0], calls: report.calls };
}

let passed = 0;
const failed = [];
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed.push(name);
    console.log(`FAIL  ${name}\n      ${String(e.message).split('\n').join('\n      ')}`);
  }
}
// exactly this stdout, and a success run
function expectOut(r, expected) {
  assert.equal(r.outcome, 'ok', `outcome ${r.outcome} ${r.message ?? ''}`);
  assert.equal(r.stdout, typeof expected === 'string' ? expected : JSON.stringify(expected));
}
function expectError(r, part) {
  assert.equal(r.outcome, 'ok', `outcome ${r.outcome} ${r.message ?? ''}`);
  assert.deepEqual(Object.keys(r.json ?? {}), ['error'], `stdout: ${r.stdout}`);
  assert.ok(r.json.error.includes(part), `error "${r.json.error}" lacks "${part}"`);
}

// --- inputs
const tokenReview = (token, extra = {}) => ({
  request: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview',
    spec: { token, audiences: ['https://kubernetes.default.svc.cluster.local'] }, ...extra },
});
const sar = (resourceAttributes, groups = ['magic-group', 'system:authenticated'], apiVersion = 'authorization.k8s.io/v1') => ({
  request: { apiVersion, kind: 'SubjectAccessReview',
    spec: { user: 'magic-user', groups, ...(resourceAttributes && { resourceAttributes }) } },
  settings: {},
});
const configMap = (data) => ({ apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', uid: 'f2f3', resourceVersion: '12', labels: { app: 'x' } },
  ...(data !== undefined && { data }) });
const admission = (object, { operation = 'CREATE', uid = 'b1a6-uid', settings } = {}) => ({
  request: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid, kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' }, namespace: 'default', operation,
      userInfo: { username: 'magic-user', groups: ['magic-group'] },
      ...(object !== undefined && { object }) } },
  ...(settings !== undefined && { settings }),
});
const review = (response) => ({ response: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response } });
const decodePatch = (r) => Buffer.from(r.json.response.response.patch, 'base64').toString('utf8');

// input-envelope errors, for every magic module
const badEnvelopes = [
  ['not JSON', 'this is not json{', 'invalid JSON at byte 0'],
  ['truncated JSON', '{"request": {"spec": {', 'invalid JSON at byte 22'],
  ['empty stdin', '', 'unexpected end of input'],
  ['trailing garbage', '{"request":{}} x', 'unexpected data after the JSON value'],
  ['top level array', '[]', 'expected a JSON object'],
  ['request missing', '{"settings":{}}', '"request" is missing or null'],
  ['request null', '{"request":null}', '"request" is missing or null'],
  ['request not an object', '{"request":"TokenReview"}', '"request" is not a JSON object'],
  ['invalid UTF-8', Buffer.from('{"request":{"spec":{"token":"\xff"}}}', 'latin1'), 'at byte 29: invalid UTF-8 in string'],
];

function magicChecks() {
  const A = 'magic_authenticator.wasm';
  const status = { authenticated: true, user: { username: 'magic-user', uid: '0', groups: ['magic-group'] } };
  check('authenticator: magic-token is authenticated (exact output)', () => {
    const input = tokenReview('magic-token');
    expectOut(run(A, 'authn', input), { response: { ...input.request, status } });
  });
  check('authenticator: other token is not authenticated', () => {
    const input = tokenReview('some-other-token');
    expectOut(run(A, 'authn', input), { response: { ...input.request, status: { authenticated: false } } });
  });
  check('authenticator: token "magic-token " (near miss) is not authenticated', () => {
    assert.equal(run(A, 'authn', tokenReview('magic-token ')).json.response.status.authenticated, false);
  });
  check('authenticator: escaped token "magic\\u002dtoken" decodes to magic-token', () => {
    const r = run(A, 'authn', '{ "request" : { "spec" : { "token" : "magic\\u002dtoken" } } , "settings" : null }');
    expectOut(r, '{"response":{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{ "token" : "magic\\u002dtoken" },'
      + '"status":{"authenticated":true,"user":{"username":"magic-user","uid":"0","groups":["magic-group"]}}}}');
  });
  check('authenticator: v1beta1 request echoed, settings null/missing/object accepted', () => {
    for (const settings of [undefined, null, { a: [1, 2] }, 'text']) {
      const input = tokenReview('magic-token', {});
      input.request.apiVersion = 'authentication.k8s.io/v1beta1';
      if (settings !== undefined) input.settings = settings;
      expectOut(run(A, 'authn', input), { response: { ...input.request, status } });
    }
  });
  check('authenticator: empty request -> defaults, no spec, not authenticated', () => {
    expectOut(run(A, 'authn', { request: {} }),
      { response: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status: { authenticated: false } } });
  });
  check('authenticator: the spec example from module-contract.md', () => {
    const r = run(A, 'authn', '{"request":{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"magic-token","audiences":["https://kubernetes.default.svc.cluster.local"]}}}');
    assert.deepEqual(r.json.response.status, status);
  });

  const Z = 'magic_authorizer.wasm';
  const cm = { namespace: 'default', verb: 'list', group: '', version: 'v1', resource: 'configmaps' };
  check('authorizer: magic-group + configmaps is allowed (exact output)', () => {
    const input = sar(cm);
    expectOut(run(Z, 'authz', input),
      { response: { ...input.request, status: { allowed: true, reason: 'magic-group may access configmaps' } } });
  });
  check('authorizer: configmaps in any namespace / verb / subresource is allowed', () => {
    const input = sar({ verb: 'delete', resource: 'configmaps', namespace: 'kube-system', name: 'x', subresource: 'status' });
    assert.equal(run(Z, 'authz', input).json.response.status.allowed, true);
  });
  check('authorizer: pods is no opinion {allowed:false}', () => {
    const input = sar({ ...cm, resource: 'pods' });
    expectOut(run(Z, 'authz', input), { response: { ...input.request, status: { allowed: false } } });
  });
  check('authorizer: without magic-group is no opinion', () => {
    const input = sar(cm, ['system:authenticated']);
    expectOut(run(Z, 'authz', input), { response: { ...input.request, status: { allowed: false } } });
    const noGroups = sar(cm, undefined);
    delete noGroups.request.spec.groups;
    assert.deepEqual(run(Z, 'authz', noGroups).json.response.status, { allowed: false });
  });
  check('authorizer: nonResourceAttributes is no opinion', () => {
    const input = sar(undefined);
    input.request.spec.nonResourceAttributes = { path: '/configmaps', verb: 'get' };
    expectOut(run(Z, 'authz', input), { response: { ...input.request, status: { allowed: false } } });
  });
  check('authorizer: v1beta1 apiVersion echoed', () => {
    const input = sar(cm, undefined, 'authorization.k8s.io/v1beta1');
    const r = run(Z, 'authz', input);
    assert.equal(r.json.response.apiVersion, 'authorization.k8s.io/v1beta1');
    assert.equal(r.json.response.status.allowed, true);
  });
  check('authorizer: spec example (list pods) -> {"allowed":false}', () => {
    const r = run(Z, 'authz', sar({ namespace: 'default', verb: 'list', resource: 'pods' }));
    assert.deepEqual(r.json.response.status, { allowed: false });
  });

  const V = 'magic_validator.wasm';
  check('validator: data key not-allowed-value is rejected (exact output)', () => {
    const r = run(V, 'validate', admission(configMap({ a: 'b', 'not-allowed-value': 'x' })));
    expectOut(r, review({ uid: 'b1a6-uid', allowed: false,
      status: { message: "value 'not-allowed-value' not allowed in configmap", code: 403 } }));
  });
  check('validator: the VALUE not-allowed-value under another key is allowed', () => {
    expectOut(run(V, 'validate', admission(configMap({ key: 'not-allowed-value' }))), review({ uid: 'b1a6-uid', allowed: true }));
  });
  check('validator: ConfigMap without data / with data null is allowed', () => {
    expectOut(run(V, 'validate', admission(configMap())), review({ uid: 'b1a6-uid', allowed: true }));
    expectOut(run(V, 'validate', admission(configMap(null))), review({ uid: 'b1a6-uid', allowed: true }));
  });
  check('validator: DELETE (object null / missing) is allowed; settings null accepted', () => {
    expectOut(run(V, 'validate', admission(null, { operation: 'DELETE', settings: null })), review({ uid: 'b1a6-uid', allowed: true }));
    expectOut(run(V, 'validate', admission(undefined, { operation: 'DELETE' })), review({ uid: 'b1a6-uid', allowed: true }));
  });
  check('validator: missing uid / missing inner request / bad data are errors', () => {
    const noUid = admission(configMap({}));
    delete noUid.request.request.uid;
    expectError(run(V, 'validate', noUid), 'no "uid"');
    expectError(run(V, 'validate', { request: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' } }), 'no "request"');
    expectError(run(V, 'validate', admission(configMap('oops'))), 'data is not a JSON object');
    expectError(run(V, 'validate', admission([1])), 'object is not a JSON object');
  });

  const M = 'magic_mutator.wasm';
  check('mutator: adds magic-value to existing data, keeps everything else (exact patch)', () => {
    const r = run(M, 'validate', admission(configMap({ a: 'b' })));
    assert.equal(r.json.response.response.patchType, 'Full');
    const expected = configMap({ a: 'b', 'magic-value': 'foobar' });
    assert.equal(decodePatch(r), JSON.stringify(expected));
    expectOut(r, review({ uid: 'b1a6-uid', allowed: true, patchType: 'Full',
      patch: Buffer.from(JSON.stringify(expected)).toString('base64') }));
  });
  check('mutator: creates data when missing (appended) or null (in place)', () => {
    assert.equal(decodePatch(run(M, 'validate', admission(configMap()))), JSON.stringify(configMap({ 'magic-value': 'foobar' })));
    const withNull = { apiVersion: 'v1', data: null, kind: 'ConfigMap' };
    assert.equal(decodePatch(run(M, 'validate', admission(withNull))),
      '{"apiVersion":"v1","data":{"magic-value":"foobar"},"kind":"ConfigMap"}');
  });
  check('mutator: overwrites an existing magic-value in place', () => {
    const r = run(M, 'validate', admission(configMap({ x: '1', 'magic-value': 'old', z: '2' })));
    assert.equal(decodePatch(r), JSON.stringify(configMap({ x: '1', 'magic-value': 'foobar', z: '2' })));
  });
  check('mutator: copies other fields byte for byte (numbers, escapes, unicode, spacing)', () => {
    const object = '{"kind":"ConfigMap","n":1.50,"big":123456789012345678901234567890,"e":1E+2,'
      + '"s":"\\u00e9\\ud83d\\ude00\\n","nested":{ "a" : [ 1 , { } , null ] },"data":{"k":"v\\"q"},"u":"é😀"}';
    const r = run(M, 'validate', `{"request":{"request":{"uid":"u-1","operation":"UPDATE","object":${object}}}}`);
    assert.equal(decodePatch(r), object.replace('{"k":"v\\"q"}', '{"k":"v\\"q","magic-value":"foobar"}'));
  });
  check('mutator: DELETE (no object) -> allowed without patch', () => {
    expectOut(run(M, 'validate', admission(null, { operation: 'DELETE' })), review({ uid: 'b1a6-uid', allowed: true }));
    expectOut(run(M, 'validate', admission(undefined, { operation: 'DELETE' })), review({ uid: 'b1a6-uid', allowed: true }));
  });
  check('mutator: missing uid / bad data are errors', () => {
    const noUid = admission(configMap({}));
    delete noUid.request.request.uid;
    expectError(run(M, 'validate', noUid), 'no "uid"');
    expectError(run(M, 'validate', admission(configMap(['x']))), 'data is not a JSON object');
  });
  check('mutator: large ConfigMap (1 MiB value) round-trips', () => {
    const big = 'y'.repeat(1 << 20);
    const r = run(M, 'validate', admission(configMap({ big })));
    assert.equal(decodePatch(r), JSON.stringify(configMap({ big, 'magic-value': 'foobar' })));
  });

  for (const [module, exportName] of [[A, 'authn'], [Z, 'authz'], [V, 'validate'], [M, 'validate']]) {
    check(`${module}: bad input envelopes give {"error": ...}`, () => {
      for (const [what, input, part] of badEnvelopes) {
        const r = run(module, exportName, input);
        try { expectError(r, part); } catch (e) { e.message = `${what}: ${e.message}`; throw e; }
      }
    });
    check(`${module}: exports/imports are exactly as expected`, () => {
      const r = run(module, exportName, '{}');
      assert.deepEqual(r.exports, ['memory', '_initialize', exportName]);
      assert.deepEqual(r.imports, ['wasi_snapshot_preview1.fd_read', 'wasi_snapshot_preview1.fd_write']);
    });
  }
  check('depth limit: 120 nested arrays in settings accepted, 200 rejected', () => {
    const nest = (n) => '['.repeat(n) + ']'.repeat(n);
    assert.equal(run(A, 'authn', `{"request":{},"settings":${nest(120)}}`).json.response.status.authenticated, false);
    expectError(run(A, 'authn', `{"request":{},"settings":${nest(200)}}`), 'nesting too deep');
  });
}

function hostileChecks() {
  const H = (name) => `hostile/${name}.wasm`;
  const input = tokenReview('t');
  for (const loop of ['loop_br_if', 'loop_br', 'loop_br_table']) {
    check(`${loop}: never returns (killed after 3 s)`, () => {
      for (const exp of ['authn', 'authz', 'validate']) assert.equal(run(H(loop), exp, input, { timeout: 3000 }).outcome, 'timeout');
    });
  }
  check('memory_bomb: grows until memory.grow fails, then traps', () => {
    const r = run(H('memory_bomb'), 'validate', input, { timeout: 60000 });
    assert.equal(r.outcome, 'trap');
    assert.match(r.message, /unreachable/);
    console.log(`      (V8 let it grow to ${r.memoryPages} pages = ${r.memoryPages / 16} MiB)`);
    // with V8 capped at 2048 pages (128 MiB) the 4 GiB grow fails and it grows page by page
    const capped = run(H('memory_bomb'), 'authn', input, { timeout: 60000, nodeArgs: ['--wasm-max-mem-pages=2048'] });
    assert.deepEqual([capped.outcome, capped.memoryPages], ['trap', 2048]);
  });
  check('stdout_flood: exceeds a 16 MiB output cap; endless without one', () => {
    const r = run(H('stdout_flood'), 'authn', input);
    assert.equal(r.outcome, 'output-limit');
    assert.equal(run(H('stdout_flood'), 'authn', input, { limit: 0, timeout: 3000 }).outcome, 'timeout');
  });
  check('deep_recursion: stack overflow', () => {
    const r = run(H('deep_recursion'), 'authz', input);
    assert.equal(r.outcome, 'trap');
    assert.match(r.message, /call stack/);
  });
  check('trap: unreachable', () => assert.match(run(H('trap'), 'authn', input).message, /unreachable/));
  check('div_by_zero: integer divide by zero', () => assert.match(run(H('div_by_zero'), 'authn', input).message, /divide by zero/));
  check('exit3: proc_exit(3), no output', () => {
    const r = run(H('exit3'), 'validate', input);
    assert.deepEqual([r.outcome, r.code, r.stdout], ['exit', 3, '']);
  });
  check('exit0: writes a TokenReview envelope then proc_exit(0)', () => {
    const r = run(H('exit0'), 'authn', input);
    assert.deepEqual([r.outcome, r.code], ['exit', 0]);
    assert.equal(r.stdout, '{"response":{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{"authenticated":true,"user":{"username":"exit0-user"}}}}');
  });
  check('garbage / no_response / error_set write exactly their text', () => {
    expectOut(run(H('garbage'), 'authn', input), 'this is not json{');
    expectOut(run(H('no_response'), 'authz', input), '{}');
    expectOut(run(H('error_set'), 'validate', input), '{"error":"module refused: bad day"}');
  });
  check('stderr_then_exit1: stderr text, proc_exit(1)', () => {
    const r = run(H('stderr_then_exit1'), 'authn', input);
    assert.deepEqual([r.outcome, r.code, r.stdout, r.stderr], ['exit', 1, '', 'something went wrong on stderr']);
  });
  check('huge_response: valid JSON envelope of 8 MiB + 27 bytes', () => {
    const r = run(H('huge_response'), 'authn', input);
    assert.equal(r.outcome, 'ok');
    assert.equal(r.stdoutBytes, 8388608 + 27);
    assert.deepEqual(r.json, { response: { padding: '<8388608 chars: x>' } });
    assert.equal(run(H('huge_response'), 'authn', input, { limit: 1 << 20 }).outcome, 'output-limit');
  });
  check('stateful: fresh instance per call -> none / 1', () => {
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(run(H('stateful'), 'authn', input).json.response.status.user, { username: 'previous:none', uid: '1' });
      assert.deepEqual(run(H('stateful'), 'validate', admission(configMap({}))).json.response.response.warnings,
        ['previous:none', 'count:1']);
      assert.deepEqual(run(H('stateful'), 'authz', sar({ resource: 'pods' })).json.response.status,
        { allowed: true, reason: 'previous:none count:1' });
    }
  });
  check('stateful: a reused instance remembers (what a host must prevent)', () => {
    const r = run(H('stateful'), 'authn', tokenReview('secret-token'), { calls: 3 });
    assert.deepEqual(r.calls.map((c) => c.json.response.status.user), [
      { username: 'previous:none', uid: '1' },
      { username: 'previous:secret-token', uid: '2' },
      { username: 'previous:secret-token', uid: '3' }]);
    const v = run(H('stateful'), 'validate', admission(configMap({}), { uid: 'u-9' }), { calls: 2 });
    assert.deepEqual(v.calls.map((c) => c.json.response.response), [
      { uid: 'u-9', allowed: true, warnings: ['previous:none', 'count:1'] },
      { uid: 'u-9', allowed: true, warnings: ['previous:u-9', 'count:2'] }]);
  });
  check('only_start: has _start but no contract export', () => {
    for (const exp of ['authn', 'authz', 'validate']) {
      const r = run(H('only_start'), exp, input);
      assert.equal(r.outcome, 'missing-export');
      assert.deepEqual(r.exports, ['memory', '_start']);
    }
  });
  check('bad_import: fails to link (env.host_secret)', () => {
    const r = run(H('bad_import'), 'authn', input);
    assert.equal(r.outcome, 'link-error');
    assert.deepEqual(r.imports, ['env.host_secret']);
  });
  check('not_wasm / truncated: do not compile', () => {
    assert.equal(run(H('not_wasm'), 'authn', input).outcome, 'compile-error');
    assert.equal(run(H('truncated'), 'validate', input).outcome, 'compile-error');
  });
  check('hostile modules export authn, authz, validate and memory; import only WASI', () => {
    for (const name of ['loop_br_if', 'loop_br', 'loop_br_table', 'memory_bomb', 'stdout_flood', 'deep_recursion', 'trap',
      'div_by_zero', 'exit3', 'exit0', 'garbage', 'no_response', 'error_set', 'stderr_then_exit1', 'huge_response', 'stateful']) {
      const r = run(H(name), 'authn', '{}', { calls: 0 });
      for (const e of ['authn', 'authz', 'validate', 'memory']) assert.ok(r.exports.includes(e), `${name} lacks export ${e}`);
      assert.ok(r.imports.every((i) => i.startsWith('wasi_snapshot_preview1.')), `${name} imports ${r.imports}`);
      assert.ok(!r.exports.includes('_start'), `${name} exports _start`);
    }
  });
}

// ---------------------------------------------------------------------- main

const args = process.argv.slice(2);
if (args[0] === 'run') {
  const opt = (name, def) => { const i = args.indexOf(name); return i < 0 ? def : Number(args[i + 1]); };
  const report = await runMode(args[1], args[2], opt('--calls', 1), opt('--limit', DEFAULT_LIMIT));
  process.stdout.write(JSON.stringify(report) + '\n');
} else {
  magicChecks();
  hostileChecks();
  console.log(`\n${passed} passed, ${failed.length} failed`);
  if (failed.length) process.exit(1);
}
