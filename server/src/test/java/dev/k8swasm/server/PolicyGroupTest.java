package dev.k8swasm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Operation;
import dev.k8swasm.admission.Status;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** A policy group's expression, its evaluation and its answer, as policy-server has them. */
class PolicyGroupTest {
  private static final String AT = "policies.yml: policy group 'g'";

  /** A member that answers {@code allowed} (with {@code message} when not) and counts its calls. */
  static final class Member implements AdmissionController {
    final boolean allowed;
    final String message;
    final AtomicInteger calls = new AtomicInteger();

    Member(boolean allowed, String message) {
      this.allowed = allowed;
      this.message = message;
    }

    @Override
    public AdmissionReview admit(AdmissionReview review) {
      calls.incrementAndGet();
      String uid = review.request().uid();
      return review.withResponse(
          allowed
              ? AdmissionResponse.allow(uid)
              : new AdmissionResponse(
                  uid, false, Status.of(message), null, null, null, null, null));
    }
  }

  static AdmissionReview review() {
    return AdmissionReview.builder(Operation.CREATE)
        .uid("uid-1")
        .object(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "p")))
        .build();
  }

  static PolicyGroup group(String expression, Map<String, AdmissionController> members) {
    List<String> problems = new ArrayList<>();
    PolicyGroup g =
        PolicyGroup.compile(
            "g", expression, "The group policy is rejected.", members, AT, problems);
    assertThat(problems).isEmpty();
    return g;
  }

  static JsonNode answer(PolicyGroup g) {
    return Json.tree(g.admit(review()).response());
  }

  static List<String> problems(String expression, Map<String, AdmissionController> members) {
    List<String> problems = new ArrayList<>();
    assertThat(PolicyGroup.compile("g", expression, "m", members, AT, problems)).isNull();
    return problems;
  }

  @Test
  void aRejectionHasTheGroupMessageAndTheCausesOfTheEvaluatedMembersThatRejected() {
    Member unhappy1 = new Member(false, "failing as expected");
    Member happy = new Member(true, null);
    Member unhappy2 = new Member(false, "failing as expected too");
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("unhappy_policy_1", unhappy1);
    members.put("happy_policy_1", happy);
    members.put("unhappy_policy_2", unhappy2);
    JsonNode r =
        answer(group("unhappy_policy_1() || (happy_policy_1() && unhappy_policy_2())", members));
    assertThat(r.path("uid").asText()).isEqualTo("uid-1");
    assertThat(r.path("allowed").asBoolean(true)).isFalse();
    JsonNode status = r.path("status");
    assertThat(status.path("message").asText()).isEqualTo("The group policy is rejected.");
    assertThat(status.has("code")).isFalse();
    assertThat(status.path("details").path("causes"))
        .isEqualTo(
            Json.readTree(
                ("[{'field':'spec.policies.unhappy_policy_1','message':'failing as expected'},"
                        + "{'field':'spec.policies.unhappy_policy_2','message':'failing as"
                        + " expected too'}]")
                    .replace('\'', '"')
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(List.of(unhappy1.calls.get(), happy.calls.get(), unhappy2.calls.get()))
        .containsExactly(1, 1, 1);
  }

  @Test
  void anAllowanceHasNoStatusAndMembersNotNeededAreNotEvaluated() {
    Member unhappy1 = new Member(false, "no");
    Member happy = new Member(true, null);
    Member unhappy2 = new Member(false, "no");
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("unhappy_policy_1", unhappy1);
    members.put("happy_policy_1", happy);
    members.put("unhappy_policy_2", unhappy2);
    JsonNode r =
        answer(group("unhappy_policy_1() || happy_policy_1() || unhappy_policy_2()", members));
    assertThat(r.path("allowed").asBoolean()).isTrue();
    assertThat(r.has("status")).isFalse();
    assertThat(unhappy2.calls.get()).isZero();
    assertThat(unhappy1.calls.get()).isEqualTo(1);
  }

  @Test
  void shortCircuitSkipsTheRightHandSideOfAndAndOr() {
    Member no = new Member(false, "no");
    Member yes = new Member(true, null);
    Member never = new Member(false, "never");
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("no", no);
    members.put("yes", yes);
    members.put("never", never);
    assertThat(answer(group("no() && never()", members)).path("allowed").asBoolean()).isFalse();
    assertThat(answer(group("yes() || never()", members)).path("allowed").asBoolean()).isTrue();
    // a member not referenced is never evaluated; one referenced twice is evaluated once
    assertThat(answer(group("yes() && yes() && true", members)).path("allowed").asBoolean())
        .isTrue();
    assertThat(never.calls.get()).isZero();
    assertThat(yes.calls.get()).isEqualTo(2);
    JsonNode r = answer(group("no() && never()", members));
    assertThat(r.path("status").path("details").path("causes")).hasSize(1);
    assertThat(r.path("status").path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.policies.no");
  }

  @Property(tries = 60)
  void theGroupDecidesAsTheBooleanExpression(
      @ForAll boolean a, @ForAll boolean b, @ForAll boolean c) {
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("a", new Member(a, "a"));
    members.put("b", new Member(b, "b"));
    members.put("c", new Member(c, "c"));
    PolicyGroup g = group("a() || (b() && !c())", members);
    assertThat(answer(g).path("allowed").asBoolean()).isEqualTo(a || (b && !c));
  }

  @Test
  void aMutatingMemberIsARejectionAndAFailingMemberIsARejectionWithItsError() {
    AdmissionController mutating =
        review ->
            review.withResponse(
                new AdmissionResponse(
                    review.request().uid(), true, null, "W10=", "JSONPatch", null, null, null));
    AdmissionController failing =
        review -> {
          throw new ModuleException("g/failing", FailureReason.TRAP, "unreachable executed");
        };
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("mutating", mutating);
    members.put("failing", failing);
    JsonNode r = answer(group("mutating() || failing()", members));
    assertThat(r.path("allowed").asBoolean(true)).isFalse();
    JsonNode causes = r.path("status").path("details").path("causes");
    assertThat(causes.get(0).path("message").asText())
        .isEqualTo("mutation is not allowed inside of policy group");
    assertThat(causes.get(1).path("field").asText()).isEqualTo("spec.policies.failing");
    assertThat(causes.get(1).path("message").asText())
        .startsWith("internal server error: ")
        .contains("unreachable executed");
    assertThat(r.has("patch")).isFalse();
  }

  @Test
  void anExpressionWithoutMembersIsValid() {
    PolicyGroup g = group("2 > 1", Map.of("m", new Member(false, "no")));
    assertThat(answer(g).path("allowed").asBoolean()).isTrue();
  }

  @Test
  void anUnknownMemberIsAProblemNamingTheFileTheGroupAndTheField() {
    assertThat(problems("unknown_policy() || happy_policy_1()", Map.of("happy_policy_1", yes())))
        .singleElement()
        .asString()
        .startsWith(AT + ": field 'expression': ")
        .contains("unknown_policy");
  }

  @Test
  void aNonBooleanExpressionIsAProblem() {
    assertThat(problems("1 + 1", Map.of("m", yes())))
        .singleElement()
        .asString()
        .startsWith(AT + ": field 'expression': ")
        .contains("bool");
    assertThat(problems("m() + 1", Map.of("m", yes())))
        .singleElement()
        .asString()
        .startsWith(AT + ": field 'expression': ");
  }

  @Test
  void aSyntaxErrorIsAProblemOnOneLine() {
    assertThat(problems("something that doesn't make sense", Map.of("m", yes())))
        .singleElement()
        .asString()
        .startsWith(AT + ": field 'expression': ")
        .doesNotContain("\n");
  }

  @Test
  void aMemberIdThatIsNotAnIdentifierIsAProblemAndEveryProblemIsListed() {
    Map<String, AdmissionController> members = new LinkedHashMap<>();
    members.put("pod-privileged", yes());
    List<String> problems = problems("pod_privileged() && true", members);
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0))
        .startsWith(AT + ": member 'pod-privileged': ")
        .contains("CEL identifier");
    assertThat(problems.get(1)).contains("field 'expression'", "pod_privileged");
  }

  private static Member yes() {
    return new Member(true, null);
  }
}
