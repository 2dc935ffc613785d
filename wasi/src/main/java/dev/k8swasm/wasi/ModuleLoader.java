package dev.k8swasm.wasi;

import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads a module: read, parse, check against the contract, compile, wire up. */
final class ModuleLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleLoader.class);

  private ModuleLoader() {}

  static PolicyModule load(ModuleSpec spec) {
    if (!ModuleSpec.TYPE_WASI.equals(spec.type())) {
      throw LoadFailures.of(
          spec,
          "module type '" + spec.type() + "' is not handled by the wasi runtime",
          "Load it with the runtime for its type (ModuleRuntimes.load)");
    }
    WasmModule module = parse(spec, ModuleSource.read(spec));
    ModuleShape shape = ContractCheck.check(spec, module);
    PreparedModule prepared = prepare(spec, module, shape);
    if (spec.strategy() == InstanceStrategy.SNAPSHOT) {
      LOG.info(
          "module '{}': instance strategy SNAPSHOT is not available yet; using a fresh instance"
              + " per evaluation, which gives the same results",
          spec.name());
    }
    return new WasiPolicyModule(spec, shape, new FreshInstanceLifecycle(prepared));
  }

  private static WasmModule parse(ModuleSpec spec, byte[] bytes) {
    try {
      return Parser.parse(bytes);
    } catch (ChicoryException e) {
      throw LoadFailures.of(
          spec,
          "invalid WebAssembly module: " + e.getMessage(),
          "The file may be truncated or corrupt, or use a feature Chicory does not support;"
              + " rebuild it with a standard toolchain (e.g. clang --target=wasm32-wasi)",
          e);
    } catch (RuntimeException | StackOverflowError e) {
      throw LoadFailures.of(
          spec,
          "invalid WebAssembly module (" + e + ")",
          "The file may be truncated or corrupt; rebuild it with a standard toolchain",
          e);
    }
  }

  private static PreparedModule prepare(ModuleSpec spec, WasmModule module, ModuleShape shape) {
    try {
      return PreparedModule.prepare(module, shape, spec.engine(), spec.limits());
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      throw LoadFailures.of(
          spec,
          "the module cannot be compiled (" + e + ")",
          "Load it with the interpreter (engine INTERPRETER) and report the problem",
          e);
    }
  }
}
