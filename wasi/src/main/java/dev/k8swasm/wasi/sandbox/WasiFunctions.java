package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@code wasi_snapshot_preview1} functions Chicory provides, with their signatures. */
final class WasiFunctions {
  /** The import module name of WASI preview 1. */
  static final String MODULE = "wasi_snapshot_preview1";

  private static final Map<String, FunctionType> SIGNATURES = signatures();

  private WasiFunctions() {}

  /** The signature of the WASI function {@code name}, if Chicory provides it. */
  static Optional<FunctionType> signature(String name) {
    return Optional.ofNullable(SIGNATURES.get(name));
  }

  private static Map<String, FunctionType> signatures() {
    Map<String, FunctionType> found = new TreeMap<>();
    try (WasiPreview1 wasi = WasiPreview1.builder().build()) {
      for (HostFunction function : wasi.toHostFunctions()) {
        found.put(function.name(), function.functionType());
      }
    }
    return Map.copyOf(found);
  }
}
