package dev.k8swasm.rego.builtins;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Rego built-in functions a host offers compiled policies, by name. A policy whose module
 * imports a built-in that is not here cannot be loaded ("builtin X is not supported"). Immutable.
 *
 * <p>{@link #standard(Clock)} holds the built-ins Kubernetes policies commonly need that {@code opa
 * build -t wasm} does not compile into the module: {@code sprintf}, {@code trace}, {@code
 * semver.*}, {@code time.*}, {@code regex.split}, {@code regex.find_n}, {@code
 * regex.find_all_string_submatch_n}, {@code regex.template_match}, {@code json.is_valid}, {@code
 * json.patch}, {@code yaml.*}, {@code base64url.encode_no_pad}, {@code hex.*}, {@code urlquery.*},
 * {@code glob.quote_meta}, {@code strings.replace_n}, {@code units.parse_bytes}, {@code
 * units.parse}, {@code net.cidr_contains} (see {@link #names()}).
 */
public final class Builtins {
  private final Map<String, Builtin> functions;

  private Builtins(Map<String, Builtin> functions) {
    this.functions = Collections.unmodifiableMap(new TreeMap<>(functions));
  }

  /** No built-ins at all. */
  public static Builtins none() {
    return new Builtins(Map.of());
  }

  /** The standard built-ins; {@code time.now_ns} reads {@code clock}. */
  public static Builtins standard(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new Builtins(StandardBuiltins.all(clock));
  }

  /** These built-ins and {@code builtin} as {@code name} (replacing one of the same name). */
  public Builtins with(String name, Builtin builtin) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(builtin, "builtin");
    Map<String, Builtin> copy = new TreeMap<>(functions);
    copy.put(name, builtin);
    return new Builtins(copy);
  }

  /** The built-in called {@code name}. */
  public Optional<Builtin> find(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  /** The names of the built-ins, sorted. */
  public Set<String> names() {
    return functions.keySet();
  }

  @Override
  public String toString() {
    return "Builtins" + names();
  }
}
