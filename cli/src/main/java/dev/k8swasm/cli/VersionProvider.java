package dev.k8swasm.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the jar's implementation version, or {@code dev} when run from classes. */
public final class VersionProvider implements IVersionProvider {

  /** Used by picocli. */
  public VersionProvider() {}

  @Override
  public String[] getVersion() {
    return new String[] {
      "k8s-wasm " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }

  /** The implementation version of the jar holding this class, or {@code dev}. */
  static String version() {
    String v = K8sWasm.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }
}
