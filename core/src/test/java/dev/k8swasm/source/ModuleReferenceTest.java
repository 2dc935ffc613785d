package dev.k8swasm.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleReferenceTest {

  @Test
  void aPlainPathIsALocalFile() {
    ModuleReference r = ModuleReference.parse("policies/x.wasm");
    assertThat(r.scheme()).isEqualTo("file");
    assertThat(r.localPath()).contains(Path.of("policies/x.wasm"));
    assertThat(r.resolveAgainst(Path.of("/etc/k8s")).localPath())
        .contains(Path.of("/etc/k8s/policies/x.wasm"));
    assertThat(r.defaultName()).isEqualTo("x");
  }

  @Test
  void aFileUriIsALocalFile() {
    ModuleReference r = ModuleReference.parse("file:///opt/p/pod-privileged.wasm");
    assertThat(r.isLocal()).isTrue();
    assertThat(r.localPath()).contains(Path.of("/opt/p/pod-privileged.wasm"));
    assertThat(r.resolveAgainst(Path.of("/elsewhere"))).isEqualTo(r);
    assertThatThrownBy(() -> ModuleReference.parse("file://host/p.wasm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file://host/p.wasm")
        .hasMessageContaining("file:///absolute/path");
  }

  @Test
  void aRegistryReferenceKeepsItsDoubleSlashAndIsNotLocal() {
    ModuleReference r =
        ModuleReference.parse("registry://ghcr.io/kubewarden/policies/pod-privileged:v0.3.2");
    assertThat(r.text()).isEqualTo("registry://ghcr.io/kubewarden/policies/pod-privileged:v0.3.2");
    assertThat(r.toString()).isEqualTo(r.text());
    assertThat(r.scheme()).isEqualTo("registry");
    assertThat(r.isLocal()).isFalse();
    assertThat(r.resolveAgainst(Path.of("/base"))).isEqualTo(r);
    assertThat(r.defaultName()).isEqualTo("pod-privileged");
    assertThat(ModuleReference.parse("registry://127.0.0.1:5000/p/x@sha256:ab").defaultName())
        .isEqualTo("x");
    assertThat(ModuleReference.parse("https://example.com/a/b/policy.wasm").defaultName())
        .isEqualTo("policy");
  }

  @Test
  void blankOrEmptyReferencesAreRefused() {
    assertThatThrownBy(() -> ModuleReference.parse(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty module reference");
    assertThatThrownBy(() -> ModuleReference.parse("registry://"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing after 'registry://'");
  }
}
