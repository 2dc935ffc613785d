package dev.k8swasm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The evaluation scenarios of the benchmark protocol (benchmarks.md), each a call through the
 * public API as an embedder makes it.
 */
public enum Scenario {
  /** magic_validator, ConfigMap CREATE, through {@link ModuleAdmissionController}. */
  S1 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      PolicyModule module =
          load("magic_validator", module("magic_validator.wasm"), engine, strategy);
      ModuleAdmissionController controller = ModuleAdmissionController.validating(module);
      AdmissionReview review = admissionReview("admission-configmap-create.json");
      return Call.of(() -> controller.admit(review), controller, requestBytes(review));
    }
  },
  /** magic_authenticator, TokenReview, through {@link ModuleAuthenticator}. */
  S2 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      PolicyModule module =
          load("magic_authenticator", module("magic_authenticator.wasm"), engine, strategy);
      ModuleAuthenticator authenticator = ModuleAuthenticator.of(module);
      TokenReview review =
          Json.convert(
              Fixtures.read(Fixtures.request("tokenreview-magic.json")), TokenReview.class);
      return Call.of(() -> authenticator.authenticate(review), authenticator, requestBytes(review));
    }
  },
  /** magic_mutator, ConfigMap CREATE, incl. the JSONPatch diff. */
  S3 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      PolicyModule module = load("magic_mutator", module("magic_mutator.wasm"), engine, strategy);
      ModuleAdmissionController controller = ModuleAdmissionController.mutating(module);
      AdmissionReview review = admissionReview("admission-configmap-create.json");
      return Call.of(() -> controller.admit(review), controller, requestBytes(review));
    }
  },
  /** The Kubewarden waPC test policy, Pod CREATE, validate via waPC. */
  S4 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      return kubewarden("policy_wapc_start", engine, strategy);
    }
  },
  /** The same Kubewarden test policy built for WASI mode, Pod CREATE: validate on stdin. */
  S4W {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      return kubewarden("policy_wasi", engine, strategy);
    }
  },
  /**
   * A real TinyGo-built Kubewarden policy (1.7 MB, benchmarks/modules/kubewarden): Kubewarden's Go
   * template, which checks the Pod's name against the deny list of its settings; Pod CREATE,
   * accepted.
   */
  S8D {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      return realPolicy(this, "pod-name-deny-list", engine, strategy);
    }
  },
  /**
   * A real TinyGo-built Kubewarden policy (650 KB): safe-labels, which checks the Pod's labels
   * against a deny list, a list of mandatory labels and Go regular expressions; Pod CREATE,
   * accepted.
   */
  S8R {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      return realPolicy(this, "safe-labels", engine, strategy);
    }
  },
  /** A chain of 10 validating modules with rules, one of which matches a ConfigMap. */
  S5 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      ObjectNode root = JsonNodeFactory.instance.objectNode();
      ArrayNode modules = root.putArray("modules");
      List<String> resources =
          List.of(
              "pods",
              "secrets",
              "services",
              "deployments",
              "configmaps",
              "namespaces",
              "ingresses",
              "jobs",
              "cronjobs",
              "serviceaccounts");
      for (String resource : resources) {
        ObjectNode entry = modules.addObject();
        entry.put("name", "validator-" + resource);
        entry.put("module", module("magic_validator.wasm").toString());
        entry.put("failurePolicy", "Fail");
        ObjectNode rule = entry.putArray("rules").addObject();
        rule.putArray("operations").add("CREATE").add("UPDATE");
        rule.putArray("apiGroups").add(resource.equals("deployments") ? "apps" : "");
        rule.putArray("apiVersions").add("v1");
        rule.putArray("resources").add(resource);
      }
      ChainOptions options =
          ChainOptions.builder().specCustomizer(b -> b.engine(engine).strategy(strategy)).build();
      AdmissionChain chain =
          Chains.admission(ConfigLoader.parse(root, Fixtures.root(), "benchmark S5"), options);
      AdmissionReview review = admissionReview("admission-configmap-create.json");
      return Call.of(() -> chain.admit(review), chain, requestBytes(review));
    }
  },
  /**
   * A Rego policy: Kubewarden's OPA-mode no-default-namespace policy (compiled by opa build -t
   * wasm; examples/modules/rego), Pod CREATE in the default namespace (denied), through the
   * Kubewarden runtime and k8s-wasm-rego.
   */
  S9 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      ModuleSpec spec =
          ModuleSpec.builder("no-default-namespace-rego")
              .path(module("rego/kubewarden/no-default-namespace-rego.wasm"))
              .type(ModuleType.KUBEWARDEN)
              .engine(engine)
              .strategy(strategy)
              .build();
      PolicyModule module = ModuleRuntimes.load(spec);
      ModuleAdmissionController controller = ModuleAdmissionController.validating(module);
      AdmissionReview review =
          Json.convert(
              Fixtures.read(module("rego/requests/pod-default-namespace.json")),
              AdmissionReview.class);
      return Call.of(
          () -> {
            AdmissionReview answer = controller.admit(review);
            if (answer.response().allowed()) {
              throw new IllegalStateException("S9: the Rego policy should deny");
            }
            return answer;
          },
          controller,
          requestBytes(review));
    }
  },
  /** magic_validator with a ConfigMap holding 1 MB of data: throughput in MB/s. */
  S7 {
    @Override
    Call open(Engine engine, InstanceStrategy strategy) {
      PolicyModule module =
          load("magic_validator", module("magic_validator.wasm"), engine, strategy);
      ModuleAdmissionController controller = ModuleAdmissionController.validating(module);
      AdmissionReview review =
          Json.convert(Fixtures.largeConfigMap(1 << 20), AdmissionReview.class);
      return Call.of(() -> controller.admit(review), controller, requestBytes(review));
    }
  };

  /** Opens the scenario: loads what it needs and returns the call to measure. */
  abstract Call open(Engine engine, InstanceStrategy strategy);

  /** One measured call and what to close afterwards. */
  public record Call(Supplier<Object> call, AutoCloseable resource, int requestBytes)
      implements AutoCloseable {
    static Call of(Supplier<Object> call, AutoCloseable resource, int requestBytes) {
      return new Call(call, resource, requestBytes);
    }

    public Object run() {
      return call.get();
    }

    @Override
    public void close() throws Exception {
      resource.close();
    }
  }

  static Call kubewarden(String name, Engine engine, InstanceStrategy strategy) {
    try {
      ModuleRuntimes.forType(ModuleType.KUBEWARDEN);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "Kubewarden scenarios skipped: the Kubewarden runtime is not available ("
              + e.getMessage()
              + ")",
          e);
    }
    ModuleSpec spec =
        ModuleSpec.builder(name)
            .path(module("kubewarden/" + name + ".wasm"))
            .type(ModuleType.KUBEWARDEN)
            .engine(engine)
            .strategy(strategy)
            .build();
    PolicyModule module = ModuleRuntimes.load(spec);
    ModuleAdmissionController controller =
        ModuleAdmissionController.of(
            module,
            module.metadata().mutating().orElse(false),
            dev.k8swasm.observe.EvaluationListener.NONE);
    AdmissionReview review = admissionReview("kubewarden/pod-create.json");
    return Call.of(() -> controller.admit(review), controller, requestBytes(review));
  }

  /** The settings of the S8 policies. */
  static JsonNode s8Settings(Scenario scenario) {
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    if (scenario == S8D) {
      settings.putArray("denied_names").add("forbidden").add("evil").add("test");
    } else {
      settings.putArray("denied_labels").add("foo").add("bar");
      settings.putArray("mandatory_labels").add("cost-center");
      ObjectNode constrained = settings.putObject("constrained_labels");
      constrained.put("priority", "[123]");
      constrained.put("cost-center", "^cc-\\d+$");
    }
    return settings;
  }

  /**
   * The Pod CREATE of the S8 scenarios: Kubewarden's test Pod with the labels safe-labels asks for
   * ({@code cost-center: cc-1234}, {@code priority: "2"}); both policies accept it.
   */
  static AdmissionReview s8Review() {
    ObjectNode review = (ObjectNode) Fixtures.read(Fixtures.request("kubewarden/pod-create.json"));
    ObjectNode metadata = (ObjectNode) review.path("request").path("object").path("metadata");
    ObjectNode labels = metadata.putObject("labels");
    labels.put("app", "web");
    labels.put("cost-center", "cc-1234");
    labels.put("priority", "2");
    return Json.convert(review, AdmissionReview.class);
  }

  private static Call realPolicy(
      Scenario scenario, String file, Engine engine, InstanceStrategy strategy) {
    ModuleSpec spec =
        ModuleSpec.builder(file)
            .path(Fixtures.benchModule("kubewarden/" + file + ".wasm"))
            .type(ModuleType.KUBEWARDEN)
            .settings(s8Settings(scenario))
            // a first call runs in the JVM's interpreter before the JIT has compiled the guest,
            // which on a busy machine takes longer than the default deadline of 2 s
            .limits(Limits.builder().timeout(Duration.ofSeconds(30)).build())
            .engine(engine)
            .strategy(strategy)
            .build();
    PolicyModule module = ModuleRuntimes.load(spec);
    ModuleAdmissionController controller = ModuleAdmissionController.validating(module);
    AdmissionReview review = s8Review();
    return Call.of(
        () -> {
          AdmissionReview answer = controller.admit(review);
          if (!answer.response().allowed()) {
            throw new IllegalStateException(
                scenario + ": the policy should accept, it answered " + Json.writeString(answer));
          }
          return answer;
        },
        controller,
        requestBytes(review));
  }

  static Path module(String relative) {
    return Fixtures.module(relative);
  }

  static PolicyModule load(String name, Path path, Engine engine, InstanceStrategy strategy) {
    return ModuleRuntimes.load(
        ModuleSpec.builder(name).path(path).engine(engine).strategy(strategy).build());
  }

  static AdmissionReview admissionReview(String file) {
    return Json.convert(Fixtures.read(Fixtures.request(file)), AdmissionReview.class);
  }

  static int requestBytes(Object review) {
    return Json.write(review).length;
  }

  /** Opens {@code name} and checks that one call works, so failures surface before measuring. */
  public static Call openChecked(String name, Engine engine, InstanceStrategy strategy) {
    Call call = valueOf(name).open(engine, strategy);
    Object result = call.run();
    if (result == null) {
      throw new IllegalStateException(name + ": the first call returned nothing");
    }
    JsonNode tree = Json.toTree(result);
    if (tree.isMissingNode()) {
      throw new IllegalStateException(name + ": unexpected result " + tree);
    }
    return call;
  }
}
