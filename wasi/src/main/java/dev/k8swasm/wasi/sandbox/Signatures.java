package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats function signatures for messages, e.g. {@code (i32, i32) -> i32}. */
public final class Signatures {
  private Signatures() {}

  public static String describe(FunctionType type) {
    return "(" + join(type.params()) + ") -> " + results(type.returns());
  }

  private static String results(List<ValType> returns) {
    return returns.size() == 1 ? name(returns.get(0)) : "(" + join(returns) + ")";
  }

  private static String join(List<ValType> types) {
    return types.stream().map(Signatures::name).collect(Collectors.joining(", "));
  }

  private static String name(ValType type) {
    return type.toString().toLowerCase(Locale.ROOT);
  }
}
