// Counts what a V8 reference host constructs, for V8ReferenceTest: preloaded
// with `node --import <this file> bench.mjs ...`, it wraps node:wasi's WASI
// class (constructions and getImportObject calls), WebAssembly.Instance and
// WebAssembly.instantiate (instances, and the identities of the import objects
// and import functions they were given, per module). When the process exits it
// writes a JSON summary to the file named by K8SWASM_IMPORT_COUNTS:
//   {wasiObjects, getImportObject, modules: [{imports: [...], instances,
//    importObjects, maxFunctionsPerImport}]}
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { writeFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const out = process.env.K8SWASM_IMPORT_COUNTS;
if (!out) throw new Error('count-imports.mjs: set K8SWASM_IMPORT_COUNTS to the output file');

const counts = { wasiObjects: 0, getImportObject: 0 };
const perModule = new Map(); // WebAssembly.Module -> {instances, importObjects: Set, functions: Map(name -> Set)}

// node:wasi, also as seen by `import { WASI } from 'node:wasi'` (syncBuiltinESMExports)
process.removeAllListeners('warning');
const wasi = require('node:wasi');
const OriginalWASI = wasi.WASI;
wasi.WASI = class CountedWASI extends OriginalWASI {
  constructor(...args) {
    super(...args);
    counts.wasiObjects++;
  }
  getImportObject() {
    counts.getImportObject++;
    return super.getImportObject();
  }
};
syncBuiltinESMExports();

function record(module, importObject) {
  if (!(module instanceof WebAssembly.Module)) return;
  let entry = perModule.get(module);
  if (!entry) {
    entry = { instances: 0, importObjects: new Set(), functions: new Map() };
    perModule.set(module, entry);
  }
  entry.instances++;
  entry.importObjects.add(importObject);
  for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') continue;
    const key = `${ns}.${name}`;
    if (!entry.functions.has(key)) entry.functions.set(key, new Set());
    entry.functions.get(key).add(importObject?.[ns]?.[name]);
  }
}

const OriginalInstance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(OriginalInstance, {
  construct(target, args, newTarget) {
    record(args[0], args[1]);
    return Reflect.construct(target, args, newTarget === WebAssembly.Instance ? target : newTarget);
  },
});
const originalInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function instantiate(source, importObject) {
  record(source, importObject);
  return originalInstantiate.call(WebAssembly, source, importObject);
};

process.on('exit', () => {
  const modules = [...perModule].map(([module, e]) => ({
    imports: WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`),
    exports: WebAssembly.Module.exports(module).map((i) => i.name),
    instances: e.instances,
    importObjects: e.importObjects.size,
    maxFunctionsPerImport: Math.max(0, ...[...e.functions.values()].map((s) => s.size)),
  }));
  writeFileSync(out, JSON.stringify({ ...counts, modules }));
});
