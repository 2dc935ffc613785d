package dev.k8swasm.module;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A module type: which {@link ModuleRuntime} loads a module. Runtimes are pluggable (found with
 * {@link java.util.ServiceLoader}), so this is an open value type rather than an enum: {@link
 * #WASI} and {@link #KUBEWARDEN} are the types of the runtimes k8s-wasm ships, and {@link
 * #of(String)} names any other. Two types are equal when their names are.
 */
public final class ModuleType {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

  /** The module type of the WASI module contract ({@code wasi}, the default). */
  public static final ModuleType WASI = new ModuleType("wasi");

  /** The module type of Kubewarden policies ({@code kubewarden}). */
  public static final ModuleType KUBEWARDEN = new ModuleType("kubewarden");

  private final String name;

  private ModuleType(String name) {
    this.name = name;
  }

  /**
   * The module type called {@code name}: lower-case letters, digits, {@code -} and {@code .}.
   *
   * @throws IllegalArgumentException when {@code name} is not a valid type name
   */
  public static ModuleType of(String name) {
    Objects.requireNonNull(name, "name");
    if (name.equals(WASI.name)) {
      return WASI;
    }
    if (name.equals(KUBEWARDEN.name)) {
      return KUBEWARDEN;
    }
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid module type '"
              + name
              + "': use lower-case letters, digits, '-' and '.' (such as wasi or kubewarden)");
    }
    return new ModuleType(name);
  }

  /** The type's name, as written in configuration ({@code wasi}, {@code kubewarden}, ...). */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModuleType other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** The type's name. */
  @Override
  public String toString() {
    return name;
  }
}
