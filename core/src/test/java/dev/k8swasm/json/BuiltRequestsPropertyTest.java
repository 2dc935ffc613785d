package dev.k8swasm.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Operation;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever goes into the request builders comes out of the wire form unchanged: built requests
 * survive {@link Json#write} and {@link Json#read}, groups land in the field of the apiVersion, and
 * an AdmissionRequest describes the object it was built from.
 */
class BuiltRequestsPropertyTest {

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
  }

  @Provide
  Arbitrary<List<String>> nameLists() {
    return names().list().ofMaxSize(4);
  }

  @Property(tries = 200)
  void tokenReviewsRoundTrip(
      @ForAll("names") String token, @ForAll("nameLists") List<String> audiences) {
    TokenReview built = TokenReview.builder().token(token).audiences(audiences).build();
    TokenReview read = Json.read(Json.write(built), TokenReview.class);
    assertThat(read).isEqualTo(built);
    assertThat(read.token()).isEqualTo(token);
    assertThat(read.audiences()).isEqualTo(audiences);
  }

  @Property(tries = 200)
  void subjectAccessReviewsRoundTripWithTheGroupsInTheFieldOfTheirVersion(
      @ForAll("names") String user,
      @ForAll("nameLists") List<String> groups,
      @ForAll boolean v1beta1,
      @ForAll("names") String verb,
      @ForAll("names") String resource,
      @ForAll("names") String namespace) {
    SubjectAccessReview built =
        SubjectAccessReview.builder()
            .apiVersion(v1beta1 ? SubjectAccessReview.V1BETA1 : SubjectAccessReview.V1)
            .user(user)
            .groups(groups)
            .resourceAttributes(
                ResourceAttributes.builder()
                    .verb(verb)
                    .resource(resource)
                    .namespace(namespace)
                    .build())
            .build();
    SubjectAccessReview read = Json.read(Json.write(built), SubjectAccessReview.class);
    assertThat(read).isEqualTo(built);
    assertThat(read.spec().allGroups()).isEqualTo(groups);
    ObjectNode spec = (ObjectNode) Json.toTree(read).get("spec");
    assertThat(spec.has(v1beta1 ? "groups" : "group")).isFalse();
    assertThat(spec.has(v1beta1 ? "group" : "groups")).isEqualTo(!groups.isEmpty());
    assertThat(read.toV1().spec().groups()).isEqualTo(groups.isEmpty() ? null : groups);
  }

  @Provide
  Arbitrary<String> dnsNames() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12);
  }

  @Property(tries = 200)
  void admissionRequestsDescribeTheirObject(
      @ForAll("dnsNames") String group,
      @ForAll("dnsNames") String kind,
      @ForAll("dnsNames") String name,
      @ForAll("dnsNames") String namespace,
      @ForAll boolean dryRun) {
    String apiVersion = group + ".example.com/v1";
    String object =
        "{\"apiVersion\": \"%s\", \"kind\": \"%s\", \"metadata\": {\"name\": \"%s\", \"namespace\": \"%s\"}}"
            .formatted(apiVersion, kind, name, namespace);
    AdmissionReview built =
        AdmissionReview.builder(Operation.CREATE).object(object).dryRun(dryRun).build();
    AdmissionRequest request = Json.read(Json.write(built), AdmissionReview.class).request();
    assertThat(request).isEqualTo(built.request());
    assertThat(request.kind().group()).isEqualTo(group + ".example.com");
    assertThat(request.kind().version()).isEqualTo("v1");
    assertThat(request.kind().kind()).isEqualTo(kind);
    assertThat(request.resource().resource()).startsWith(kind.substring(0, kind.length() - 1));
    assertThat(request.resource().resource()).endsWith("s");
    assertThat(request.requestResource()).isEqualTo(request.resource());
    assertThat(request.name()).isEqualTo(name);
    assertThat(request.namespace()).isEqualTo(namespace);
    assertThat(request.dryRunOrFalse()).isEqualTo(dryRun);
    assertThat(request.options().path("dryRun").isArray()).isEqualTo(dryRun);
    assertThat(request.object()).isEqualTo(Json.readTree(object.getBytes()));
  }
}
