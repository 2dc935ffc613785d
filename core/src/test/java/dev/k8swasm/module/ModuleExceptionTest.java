package dev.k8swasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.k8swasm.testing.FakeModule;
import org.junit.jupiter.api.Test;

class ModuleExceptionTest {

  @Test
  void theMessageNamesModuleDetailAndReason() {
    IllegalStateException cause = new IllegalStateException("root");
    ModuleException e = new ModuleException("magic", FailureReason.TIMEOUT, "ran past 2s", cause);

    assertThat(e.getMessage()).isEqualTo("module 'magic': ran past 2s [TIMEOUT]");
    assertThat(e.moduleName()).isEqualTo("magic");
    assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT);
    assertThat(e.detail()).isEqualTo("ran past 2s");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(new ModuleException("m", FailureReason.TRAP, "x").getCause()).isNull();
  }

  @Test
  void everyPartIsRequired() {
    assertThatThrownBy(() -> new ModuleException(null, FailureReason.TRAP, "d"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ModuleException("m", null, "d"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ModuleException("m", FailureReason.TRAP, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void reviewKindsNameTheirWireKind() {
    assertThat(ReviewKind.AUTHENTICATION.wireKind()).isEqualTo("TokenReview");
    assertThat(ReviewKind.AUTHORIZATION.wireKind()).isEqualTo("SubjectAccessReview");
    assertThat(ReviewKind.ADMISSION.wireKind()).isEqualTo("AdmissionReview");
  }

  @Test
  void modulesHaveNoMetadataByDefault() {
    PolicyModule module =
        new PolicyModule() {
          @Override
          public String name() {
            return "n";
          }

          @Override
          public java.util.Set<ReviewKind> kinds() {
            return java.util.Set.of();
          }

          @Override
          public com.fasterxml.jackson.databind.JsonNode evaluate(ReviewKind kind, byte[] request) {
            return FakeModule.parse("{}");
          }

          @Override
          public void close() {}
        };

    assertThat(module.metadata()).isSameAs(ModuleMetadata.NONE);
    assertThat(ModuleMetadata.NONE.rules()).isEmpty();
    assertThat(ModuleMetadata.NONE.mutating()).isEmpty();
    assertThat(ModuleMetadata.NONE.raw()).isEmpty();
  }
}
