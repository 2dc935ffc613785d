package dev.k8swasm.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.testing.JsonArbitraries;
import dev.k8swasm.testing.Wire;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random unknown fields, at every modelled level of every wire type, survive a round trip. */
class UnknownFieldsPropertyTest {
  /** A modelled object inside a wire document: the document, its type and where the object is. */
  record Level(String resource, Class<?> type, String pointer) {
    @Override
    public String toString() {
      return resource + "#" + pointer;
    }
  }

  private static final List<Level> LEVELS =
      List.of(
          new Level("tokenreview-v1.json", TokenReview.class, ""),
          new Level("tokenreview-v1.json", TokenReview.class, "/spec"),
          new Level("tokenreview-v1.json", TokenReview.class, "/status"),
          new Level("tokenreview-v1.json", TokenReview.class, "/status/user"),
          new Level("tokenreview-v1beta1.json", TokenReview.class, "/status/user"),
          new Level("subjectaccessreview-v1-resource.json", SubjectAccessReview.class, ""),
          new Level("subjectaccessreview-v1-resource.json", SubjectAccessReview.class, "/spec"),
          new Level(
              "subjectaccessreview-v1-resource.json",
              SubjectAccessReview.class,
              "/spec/resourceAttributes"),
          new Level(
              "subjectaccessreview-v1-resource.json",
              SubjectAccessReview.class,
              "/spec/resourceAttributes/fieldSelector"),
          new Level(
              "subjectaccessreview-v1-resource.json",
              SubjectAccessReview.class,
              "/spec/resourceAttributes/labelSelector/requirements/1"),
          new Level("subjectaccessreview-v1-resource.json", SubjectAccessReview.class, "/status"),
          new Level(
              "subjectaccessreview-v1-nonresource.json",
              SubjectAccessReview.class,
              "/spec/nonResourceAttributes"),
          new Level("subjectaccessreview-v1beta1.json", SubjectAccessReview.class, "/spec"),
          new Level("admissionreview-v1-request.json", AdmissionReview.class, ""),
          new Level("admissionreview-v1-request.json", AdmissionReview.class, "/request"),
          new Level("admissionreview-v1-request.json", AdmissionReview.class, "/request/kind"),
          new Level("admissionreview-v1-request.json", AdmissionReview.class, "/request/resource"),
          new Level(
              "admissionreview-v1-request.json", AdmissionReview.class, "/request/requestKind"),
          new Level(
              "admissionreview-v1-request.json", AdmissionReview.class, "/request/requestResource"),
          new Level("admissionreview-v1-request.json", AdmissionReview.class, "/request/userInfo"),
          new Level("admissionreview-v1-response.json", AdmissionReview.class, "/response"),
          new Level("admissionreview-v1-response.json", AdmissionReview.class, "/response/status"),
          new Level("admissionreview-v1-delete.json", AdmissionReview.class, "/request"));

  @Property(tries = 300)
  void unknownFieldsSurviveARoundTrip(
      @ForAll("levels") Level level, @ForAll("fields") Map<String, JsonNode> fields) {
    JsonNode document = Wire.tree(level.resource());
    ObjectNode target = (ObjectNode) document.at(level.pointer());
    assertThat(target.isMissingNode()).isFalse();
    fields.forEach(
        (name, value) -> {
          if (!target.has(name)) {
            target.set(name, value);
          }
        });
    byte[] original = Json.write(document);

    Object parsed = Json.read(original, level.type());

    assertThat(Wire.tree(Json.write(parsed))).isEqualTo(Wire.tree(original));
  }

  @Provide
  Arbitrary<Level> levels() {
    return Arbitraries.of(LEVELS);
  }

  @Provide
  Arbitrary<Map<String, JsonNode>> fields() {
    return Arbitraries.maps(
            names(), JsonArbitraries.values(3, Arbitraries.strings().ofMaxLength(6)))
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  /** Field names no wire type models (a modelled name would be read into the model instead). */
  private static Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('A', 'Z')
        .withChars("0123456789-_./: äß€日本\"\\")
        .ofMinLength(1)
        .ofMaxLength(12)
        .map(s -> "x" + s);
  }
}
