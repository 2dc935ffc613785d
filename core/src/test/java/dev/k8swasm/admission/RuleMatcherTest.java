package dev.k8swasm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.admission.rules.RuleWithOperations;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule matching exactly as in kubernetes-semantics.md, "Rule matching". */
class RuleMatcherTest {

  static AdmissionRequest request(
      String operation,
      String group,
      String version,
      String resource,
      String subResource,
      String namespace) {
    return AdmissionRequest.builder()
        .uid("u")
        .operation(operation)
        .resource(GroupVersionResource.of(group, version, resource))
        .subResource(subResource)
        .namespace(namespace)
        .build();
  }

  static List<String> list(String spaceSeparated) {
    return Arrays.asList(spaceSeparated.split(" "));
  }

  static RuleWithOperations resources(String entries) {
    return RuleWithOperations.of(List.of("*"), List.of("*"), List.of("*"), list(entries));
  }

  @ParameterizedTest(name = "resources [{0}] vs {1}/{2}: {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # entry          | resource    | sub    | matches
          pods             | pods        | -      | true
          pods             | pods        | ''     | true
          pods             | pods        | status | false
          pods             | pods        | scale  | false
          pods             | deployments | -      | false
          pods/*           | pods        | -      | true
          pods/*           | pods        | status | true
          pods/*           | pods        | log    | true
          pods/*           | deployments | -      | false
          pods/*           | deployments | scale  | false
          pods/status      | pods        | status | true
          pods/status      | pods        | -      | false
          pods/status      | pods        | log    | false
          pods/status      | nodes       | status | false
          *                | pods        | -      | true
          *                | deployments | -      | true
          *                | pods        | status | false
          *                | deployments | scale  | false
          */scale          | deployments | scale  | true
          */scale          | replicasets | scale  | true
          */scale          | deployments | -      | false
          */scale          | deployments | status | false
          */*              | pods        | -      | true
          */*              | pods        | status | true
          */*              | deployments | scale  | true
          */*              | namespaces  | -      | true
          pods deployments | deployments | -      | true
          pods deployments | pods        | -      | true
          pods deployments | nodes       | -      | false
          pods pods/status | pods        | status | true
          pods pods/status | pods        | log    | false
          */status pods    | nodes       | status | true
          */status pods    | nodes       | -      | false
          """)
  void resources(String entries, String resource, String sub, boolean matches) {
    AdmissionRequest r = request("CREATE", "", "v1", resource, sub, "default");

    assertThat(RuleMatcher.matches(resources(entries), r)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "operations [{0}] vs {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CREATE        | CREATE  | true
          CREATE        | UPDATE  | false
          CREATE UPDATE | UPDATE  | true
          CREATE UPDATE | DELETE  | false
          DELETE        | DELETE  | true
          CONNECT       | CONNECT | true
          CONNECT       | CREATE  | false
          *             | CREATE  | true
          *             | UPDATE  | true
          *             | DELETE  | true
          *             | CONNECT | true
          create        | CREATE  | false
          """)
  void operations(String operations, String operation, boolean matches) {
    RuleWithOperations rule =
        RuleWithOperations.of(list(operations), List.of("*"), List.of("*"), List.of("*/*"));

    assertThat(RuleMatcher.matches(rule, request(operation, "", "v1", "pods", null, "default")))
        .isEqualTo(matches);
  }

  @ParameterizedTest(name = "apiGroups [{0}] vs ''{1}'': {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''         | ''         | true
          ''         | apps       | false
          apps       | apps       | true
          apps       | ''         | false
          apps batch | batch      | true
          apps batch | extensions | false
          *          | ''         | true
          *          | apps       | true
          *          | x.io       | true
          """)
  void apiGroups(String groups, String group, boolean matches) {
    RuleWithOperations rule =
        RuleWithOperations.of(
            List.of("*"),
            groups.isEmpty() ? List.of("") : list(groups),
            List.of("*"),
            List.of("*"));

    assertThat(RuleMatcher.matches(rule, request("CREATE", group, "v1", "things", null, "ns")))
        .isEqualTo(matches);
  }

  @ParameterizedTest(name = "apiVersions [{0}] vs {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          v1         | v1       | true
          v1         | v1beta1  | false
          v1 v1beta1 | v1beta1  | true
          v1beta1    | v1       | false
          *          | v1       | true
          *          | v2alpha3 | true
          """)
  void apiVersions(String versions, String version, boolean matches) {
    RuleWithOperations rule =
        RuleWithOperations.of(List.of("*"), List.of("*"), list(versions), List.of("*"));

    assertThat(RuleMatcher.matches(rule, request("CREATE", "apps", version, "things", null, "ns")))
        .isEqualTo(matches);
  }

  @ParameterizedTest(name = "scope {0} vs {1} in ''{2}'': {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          # scope    | resource   | namespace | matches
          -          | pods       | default   | true
          -          | nodes      | ''        | true
          ''         | pods       | default   | true
          *          | pods       | default   | true
          *          | nodes      | ''        | true
          *          | namespaces | ''        | true
          *          | namespaces | team-a    | true
          Cluster    | pods       | default   | false
          Cluster    | nodes      | ''        | true
          Cluster    | nodes      | -         | true
          Cluster    | namespaces | ''        | true
          Cluster    | namespaces | team-a    | true
          Namespaced | pods       | default   | true
          Namespaced | nodes      | ''        | false
          Namespaced | nodes      | -         | false
          Namespaced | namespaces | ''        | false
          Namespaced | namespaces | team-a    | false
          Global     | pods       | default   | false
          """)
  void scope(String scope, String resource, String namespace, boolean matches) {
    RuleWithOperations rule =
        new RuleWithOperations(List.of("*"), List.of("*"), List.of("*"), List.of("*"), scope, null);

    assertThat(RuleMatcher.matches(rule, request("CREATE", "", "v1", resource, null, namespace)))
        .isEqualTo(matches);
  }

  @Test
  void everyPartMustMatch() {
    RuleWithOperations rule =
        new RuleWithOperations(
            List.of("CREATE"),
            List.of("apps"),
            List.of("v1"),
            List.of("deployments/scale"),
            "Namespaced",
            null);
    AdmissionRequest matching = request("CREATE", "apps", "v1", "deployments", "scale", "ns");

    assertThat(RuleMatcher.matches(rule, matching)).isTrue();
    assertThat(RuleMatcher.matches(rule, matching.toBuilder().operation("UPDATE").build()))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                rule,
                matching.toBuilder()
                    .resource(GroupVersionResource.of("batch", "v1", "deployments"))
                    .build()))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                rule,
                matching.toBuilder()
                    .resource(GroupVersionResource.of("apps", "v1beta2", "deployments"))
                    .build()))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                rule,
                matching.toBuilder()
                    .resource(GroupVersionResource.of("apps", "v1", "replicasets"))
                    .build()))
        .isFalse();
    assertThat(RuleMatcher.matches(rule, matching.toBuilder().subResource("status").build()))
        .isFalse();
    assertThat(RuleMatcher.matches(rule, matching.toBuilder().namespace("").build())).isFalse();
  }

  @Test
  void theResourceNotTheRequestResourceIsMatched() {
    AdmissionRequest converted =
        request("UPDATE", "apps", "v1", "deployments", null, "ns").toBuilder()
            .requestResource(GroupVersionResource.of("extensions", "v1beta1", "deployments"))
            .build();

    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(
                    List.of("*"), List.of("apps"), List.of("v1"), List.of("deployments")),
                converted))
        .isTrue();
    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(
                    List.of("*"),
                    List.of("extensions"),
                    List.of("v1beta1"),
                    List.of("deployments")),
                converted))
        .isFalse();
  }

  @Test
  void missingListsMatchNothing() {
    AdmissionRequest r = request("CREATE", "", "v1", "pods", null, "default");

    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(null, List.of("*"), List.of("*"), List.of("*")), r))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(List.of("*"), null, List.of("*"), List.of("*")), r))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(List.of("*"), List.of("*"), null, List.of("*")), r))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(List.of("*"), List.of("*"), List.of("*"), null), r))
        .isFalse();
    assertThat(
            RuleMatcher.matches(
                RuleWithOperations.of(List.of(), List.of("*"), List.of("*"), List.of("*")), r))
        .isFalse();
  }

  @Test
  void allMatchesEverything() {
    for (String op : List.of("CREATE", "UPDATE", "DELETE", "CONNECT")) {
      assertThat(
              RuleMatcher.matches(
                  RuleWithOperations.ALL, request(op, "x.io", "v9", "things", "sub", "")))
          .isTrue();
      assertThat(
              RuleMatcher.matches(
                  RuleWithOperations.ALL, request(op, "", "v1", "pods", null, "ns")))
          .isTrue();
    }
  }

  @Test
  void matchesAnyNeedsOneMatchingRule() {
    AdmissionRequest pod = request("CREATE", "", "v1", "pods", null, "default");
    RuleWithOperations pods = resources("pods");
    RuleWithOperations nodes = resources("nodes");

    assertThat(RuleMatcher.matchesAny(List.of(), pod)).isFalse();
    assertThat(RuleMatcher.matchesAny(List.of(nodes), pod)).isFalse();
    assertThat(RuleMatcher.matchesAny(List.of(nodes, pods), pod)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "admissionregistration.k8s.io, validatingwebhookconfigurations, true",
    "admissionregistration.k8s.io, mutatingwebhookconfigurations, true",
    "admissionregistration.k8s.io, validatingadmissionpolicies, true",
    "admissionregistration.k8s.io, validatingadmissionpolicybindings, true",
    "admissionregistration.k8s.io, mutatingadmissionpolicies, true",
    "admissionregistration.k8s.io, mutatingadmissionpolicybindings, true",
    "admissionregistration.k8s.io, somethingelse, false",
    "example.com, validatingwebhookconfigurations, false",
    "'', mutatingwebhookconfigurations, false",
    "'', pods, false"
  })
  void exemptResources(String group, String resource, boolean exempt) {
    assertThat(RuleMatcher.isExempt(request("CREATE", group, "v1", resource, null, "")))
        .isEqualTo(exempt);
  }

  @Test
  void aRequestWithoutResourceIsNotExempt() {
    assertThat(RuleMatcher.isExempt(AdmissionRequest.builder().uid("u").build())).isFalse();
  }
}
