package dev.k8swasm.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.Status;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A policy group of a policy-server {@code policies.yml}, answering as policy-server does: the
 * group's CEL {@code expression} calls its members as functions without arguments ({@code
 * sigstore_pgp() || reject_latest_tag()}); a member is evaluated only when the expression needs it
 * ({@code &&} and {@code ||} short-circuit left to right), at most once per request. A rejection
 * carries the group's {@code message} as {@code status.message} and, in {@code
 * status.details.causes}, one {@code {field: spec.policies.MEMBER, message}} per evaluated member
 * that rejected, in file order; an allowance carries no status. A member that returns a patch
 * counts as a rejection ("mutation is not allowed inside of policy group"); a member that fails
 * counts as a rejection with its {@code internal server error: ...} message. Thread-safe.
 */
final class PolicyGroup implements AdmissionController {
  /** What a member's function name must look like to be called from CEL. */
  private static final Pattern IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");

  private static final String VALIDATING_PATCH = "a validating module may not return a patch";

  private final String id;
  private final String message;
  private final Map<String, AdmissionController> members;
  private final CelRuntime.Program program;
  private final List<AdmissionHook> memberHooks;

  private PolicyGroup(
      String id,
      String message,
      Map<String, AdmissionController> members,
      CelRuntime.Program program,
      List<AdmissionHook> memberHooks) {
    this.id = id;
    this.message = message;
    this.members = members;
    this.program = program;
    this.memberHooks = List.copyOf(memberHooks);
  }

  /** This group, knowing its members' hooks (their rules go into the webhook configuration). */
  PolicyGroup withMemberHooks(List<AdmissionHook> hooks) {
    return new PolicyGroup(id, message, members, program, hooks);
  }

  /** The members' hooks as loaded, with the rules of their metadata. */
  List<AdmissionHook> memberHooks() {
    return memberHooks;
  }

  /**
   * Compiles the expression of group {@code id} over {@code members} (member id to its controller,
   * in file order).
   *
   * @param at where the group is written, for problems ({@code FILE: policy group 'ID'})
   * @param problems receives every problem: a member id that cannot be called, an expression that
   *     does not parse, calls an unknown function or is not boolean
   * @return the group, or null when there were problems
   */
  static PolicyGroup compile(
      String id,
      String expression,
      String message,
      Map<String, AdmissionController> members,
      String at,
      List<String> problems) {
    Objects.requireNonNull(expression, "expression");
    int before = problems.size();
    List<CelFunctionDecl> functions = new ArrayList<>();
    for (String member : members.keySet()) {
      if (!IDENTIFIER.matcher(member).matches()) {
        problems.add(
            at
                + ": member '"
                + Evaluator.clip(member)
                + "': a member id must be a CEL identifier (letters, digits, _) to be called"
                + " from the expression as "
                + Evaluator.clip(member)
                + "()");
        continue;
      }
      functions.add(
          CelFunctionDecl.newFunctionDeclaration(
              member, CelOverloadDecl.newGlobalOverload(overload(member), SimpleType.BOOL)));
    }
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addFunctionDeclarations(functions)
            .setResultType(SimpleType.BOOL)
            .build();
    CelAbstractSyntaxTree ast = null;
    try {
      ast = compiler.compile(expression).getAst();
    } catch (CelValidationException e) {
      problems.add(at + ": field 'expression': " + celErrors(e));
    }
    if (problems.size() > before) {
      return null;
    }
    CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    try {
      return new PolicyGroup(
          id,
          message,
          Collections.unmodifiableMap(new LinkedHashMap<>(members)),
          runtime.createProgram(ast),
          List.of());
    } catch (CelEvaluationException e) {
      problems.add(at + ": field 'expression': " + Evaluator.clip(e.getMessage()));
      return null;
    }
  }

  /** The errors of a compilation, on one line. */
  private static String celErrors(CelValidationException e) {
    return String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static String overload(String member) {
    return "policy_group_member_" + member;
  }

  /** The group's id. */
  String id() {
    return id;
  }

  /** The ids of the members, in file order. */
  List<String> memberIds() {
    return List.copyOf(members.keySet());
  }

  @Override
  public AdmissionReview admit(AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    String uid = review.request() == null ? "" : Objects.toString(review.request().uid(), "");
    // the members' answers of this request, in the order they were evaluated
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    List<CelFunctionBinding> bindings = new ArrayList<>();
    members.forEach(
        (name, controller) ->
            bindings.add(
                CelFunctionBinding.from(
                    overload(name),
                    List.of(),
                    args ->
                        outcomes
                            .computeIfAbsent(name, n -> evaluate(n, controller, review))
                            .allowed())));
    boolean allowed;
    try {
      Object result = program.eval(Map.of(), CelLateFunctionBindings.from(bindings));
      allowed = Boolean.TRUE.equals(result);
    } catch (CelEvaluationException e) {
      return review.withResponse(
          new AdmissionResponse(
              uid,
              false,
              Status.of(
                  500,
                  "error evaluating policy group expression: " + Evaluator.clip(e.getMessage())),
              null,
              null,
              null,
              null,
              null));
    }
    if (allowed) {
      return review.withResponse(AdmissionResponse.allow(uid));
    }
    ObjectNode details = JsonNodeFactory.instance.objectNode();
    var causes = details.putArray("causes");
    for (String name : members.keySet()) {
      Outcome o = outcomes.get(name);
      if (o != null && !o.allowed()) {
        ObjectNode cause = causes.addObject().put("field", "spec.policies." + name);
        if (o.message() != null) {
          cause.put("message", o.message());
        }
      }
    }
    return review.withResponse(
        new AdmissionResponse(
            uid,
            false,
            new Status(null, null, null, null, message, null, details, null, null),
            null,
            null,
            null,
            null,
            null));
  }

  /** Evaluates member {@code name} on {@code review}. */
  private Outcome evaluate(String name, AdmissionController controller, AdmissionReview review) {
    try {
      AdmissionResponse r = controller.admit(review).response();
      if (r.patch() != null) {
        return new Outcome(false, "mutation is not allowed inside of policy group");
      }
      boolean ok = Boolean.TRUE.equals(r.allowed());
      return new Outcome(ok, ok || r.status() == null ? null : r.status().message());
    } catch (ModuleException e) {
      if (e.reason() == FailureReason.BAD_OUTPUT
          && e.detail() != null
          && e.detail().startsWith(VALIDATING_PATCH)) {
        return new Outcome(false, "mutation is not allowed inside of policy group");
      }
      return new Outcome(false, "internal server error: " + Evaluator.clip(e.detail()));
    }
  }

  /** A member's answer: whether it allowed, and its rejection message. */
  private record Outcome(boolean allowed, String message) {}

  @Override
  public String toString() {
    return "PolicyGroup[" + id + ", members=" + members.keySet() + "]";
  }
}
