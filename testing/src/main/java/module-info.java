/**
 * JUnit 5 support for testing policies: the {@link dev.k8swasm.testing.WasmPolicy} extension,
 * fixtures and assertions; {@code dev.k8swasm.testing.kubewarden} stubs Kubewarden host
 * capabilities (needs the optional {@code dev.k8swasm.kubewarden} module).
 */
module dev.k8swasm.testing {
  requires transitive dev.k8swasm.core;
  requires transitive org.junit.jupiter.api;
  requires static dev.k8swasm.kubewarden;

  exports dev.k8swasm.testing;
  exports dev.k8swasm.testing.kubewarden;

  uses dev.k8swasm.testing.PolicyTypeSupport;

  provides dev.k8swasm.testing.PolicyTypeSupport with
      dev.k8swasm.testing.kubewarden.KubewardenSupport;
}
