package dev.k8swasm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FixturesTest {

  @Test
  void loadsFromTheProjectDirectoryAndFromTheClassPath() {
    JsonNode fromFile = Fixtures.load("src/test/resources/fixtures/configmap.yaml");
    JsonNode fromClassPath = Fixtures.load("fixtures/configmap.yaml");
    JsonNode withSlash = Fixtures.load("/fixtures/configmap.yaml");
    assertThat(fromFile.path("data").path("colour").asText()).isEqualTo("blue");
    assertThat(fromClassPath).isEqualTo(fromFile);
    assertThat(withSlash).isEqualTo(fromFile);
    assertThat(Fixtures.text("fixtures/configmap.yaml")).startsWith("apiVersion: v1");
    assertThat(Files.isRegularFile(Fixtures.path("fixtures/configmap.yaml"))).isTrue();
  }

  @Test
  void readsReviewsOfEveryKind() {
    AdmissionReview review =
        Fixtures.admissionReview("../examples/requests/admission-configmap-create.json");
    assertThat(review.request().uid()).isEqualTo("2a80ba52-f3cf-5e15-949d-0394391f6225");
    TokenReview token = Fixtures.tokenReview("../examples/requests/tokenreview-magic.json");
    assertThat(token.token()).isEqualTo("magic-token");
    SubjectAccessReview sar =
        Fixtures.subjectAccessReview("../examples/requests/sar-configmaps.json");
    assertThat(sar.spec().user()).isEqualTo("magic-user");
  }

  @Test
  void wrapsABareAdmissionRequest() {
    AdmissionReview review = Fixtures.admissionReview("fixtures/bare-request.yaml");
    assertThat(review.apiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.kind()).isEqualTo("AdmissionReview");
    assertThat(review.request().uid()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(review.request().object().path("data").has("not-allowed-value")).isTrue();
  }

  @Test
  void aMissingFixtureSaysWhereItLooked() {
    assertThatThrownBy(() -> Fixtures.load("no/such/fixture.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'no/such/fixture.yaml' not found")
        .hasMessageContaining(Path.of("no/such/fixture.yaml").toAbsolutePath().toString())
        .hasMessageContaining("class path resource 'no/such/fixture.yaml'");
  }

  @Test
  void anInvalidDocumentNamesTheFile() {
    assertThatThrownBy(() -> Fixtures.load("fixtures/broken.yaml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broken.yaml")
        .hasMessageContaining("not valid YAML");
  }
}
