package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;

/**
 * A runtime's own load-time checks of a parsed module (its exports, custom sections...), run before
 * the sandbox's import and memory checks; all problems are reported together in one {@link
 * dev.k8swasm.module.FailureReason#LOAD_FAILED} error.
 */
@FunctionalInterface
public interface ModuleCheck {

  /** Adds a description of every problem of {@code module} to {@code problems}. */
  void check(WasmModule module, List<String> problems);
}
