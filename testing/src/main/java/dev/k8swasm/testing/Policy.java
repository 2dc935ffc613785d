package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.Authenticator;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.Authorizer;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.observe.EvaluationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One module loaded for tests: evaluate TokenReviews, SubjectAccessReviews and AdmissionReviews
 * with it and check the outcomes with {@link WasmAssertions}. Every evaluation records what the
 * module was given and answered, so a failing assertion shows it.
 *
 * <p>Usually injected by {@link WasmPolicy}; can also be loaded directly:
 *
 * <pre>{@code
 * try (Policy validator = Policy.builder("modules/magic_validator.wasm").load()) {
 *   assertThat(validator.admit(AdmissionReviews.create(configMap))).isAllowed();
 * }
 * }</pre>
 *
 * The module runs exactly as in production: the runtime for its type comes from the class path (add
 * {@code k8s-wasm-wasi} or {@code k8s-wasm-kubewarden-compat} as a test dependency), with the
 * production limits unless changed. Thread-safe.
 */
public final class Policy implements AutoCloseable {
  private final RecordingModule module;
  private final boolean mutating;
  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final AdmissionController admission;
  private final List<PerTestState> attachments;

  private Policy(PolicyModule loaded, boolean mutating) {
    this(loaded, mutating, List.of());
  }

  private Policy(PolicyModule loaded, boolean mutating, List<PerTestState> attachments) {
    this.module = new RecordingModule(loaded);
    this.mutating = mutating || loaded.metadata().mutating().orElse(false);
    // these wrappers would close the module when closed: they never are, close() closes it
    this.authenticator = ModuleAuthenticator.of(module);
    this.authorizer = ModuleAuthorizer.of(module);
    this.admission = ModuleAdmissionController.of(module, this.mutating, EvaluationListener.NONE);
    this.attachments = List.copyOf(attachments);
  }

  /** Loads the module at {@code location} (a file or class path resource) without settings. */
  public static Policy load(String location) {
    return builder(location).load();
  }

  /** A builder for the module at {@code location} (a file or class path resource). */
  public static Builder builder(String location) {
    return new Builder(Objects.requireNonNull(location, "location"));
  }

  /** Wraps a module loaded elsewhere; closing the policy closes it. */
  public static Policy of(PolicyModule module, boolean mutating) {
    return new Policy(Objects.requireNonNull(module, "module"), mutating);
  }

  /** The module's name. */
  public String name() {
    return module.name();
  }

  /** The module (evaluations through it are recorded too). */
  public PolicyModule module() {
    return module;
  }

  /** Whether admission treats it as mutating (as configured or as its metadata declares). */
  public boolean mutating() {
    return mutating;
  }

  /** The per-test state attached when loading (e.g. host capability stubs). */
  public List<PerTestState> attachments() {
    return attachments;
  }

  /** The attachment of type {@code type}, if there is one. */
  public <T> Optional<T> attachment(Class<T> type) {
    return attachments.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** The module as an {@link Authenticator}. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** The module as an {@link Authorizer} (failure policy NoOpinion). */
  public Authorizer authorizer() {
    return authorizer;
  }

  /** The module as an {@link AdmissionController} (throws when the module fails). */
  public AdmissionController admissionController() {
    return admission;
  }

  /** Authenticates {@code review}. */
  public AuthenticationOutcome authenticate(TokenReview review) {
    Objects.requireNonNull(review, "review");
    Recorder.Recorded<AuthenticationResult> r =
        Recorder.record(() -> authenticator.authenticate(review));
    rethrow(r.failure());
    return new AuthenticationOutcome(review, r.value(), r.calls());
  }

  /** Authenticates the review {@code review} builds. */
  public AuthenticationOutcome authenticate(TokenReviews.Builder review) {
    return authenticate(review.build());
  }

  /** Authenticates a v1 TokenReview of {@code token} without audiences. */
  public AuthenticationOutcome authenticate(String token) {
    return authenticate(TokenReviews.forToken(token).build());
  }

  /** Authorizes {@code review}. */
  public AuthorizationOutcome authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    Recorder.Recorded<AuthorizationDecision> r =
        Recorder.record(() -> authorizer.authorize(review));
    rethrow(r.failure());
    return new AuthorizationOutcome(review, r.value(), r.calls());
  }

  /** Authorizes the review {@code review} builds. */
  public AuthorizationOutcome authorize(SubjectAccessReviews.Builder review) {
    return authorize(review.build());
  }

  /**
   * Admits {@code review}; a module failure is part of the outcome, not thrown. A request without a
   * uid gets a random one, as kube-apiserver always sends one.
   */
  public AdmissionOutcome admit(AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    AdmissionRequest request = review.request();
    AdmissionReview sent =
        request != null && (request.uid() == null || request.uid().isEmpty())
            ? review.withRequest(request.withUid(UUID.randomUUID().toString()))
            : review;
    Recorder.Recorded<AdmissionReview> r = Recorder.record(() -> admission.admit(sent));
    return new AdmissionOutcome(sent, r.value(), r.failure(), r.calls());
  }

  /** Admits the review {@code review} builds. */
  public AdmissionOutcome admit(AdmissionReviews.Builder review) {
    return admit(review.build());
  }

  /** Admits {@code request} in a v1 AdmissionReview. */
  public AdmissionOutcome admit(AdmissionRequest request) {
    return admit(AdmissionReview.of(request));
  }

  static void rethrow(RuntimeException e) {
    if (e != null) {
      throw e;
    }
  }

  /** Closes the module. */
  @Override
  public void close() {
    module.close();
  }

  @Override
  public String toString() {
    return "Policy[" + name() + (mutating ? ", mutating]" : "]");
  }

  /** Loads a {@link Policy}. */
  public static final class Builder {
    private final String location;
    private String name;
    private String type = ModuleType.WASI.name();
    private JsonNode settings;
    private boolean mutating;
    private Duration timeout;
    private final Map<String, JsonNode> options = new LinkedHashMap<>();
    private final List<UnaryOperator<ModuleSpec.Builder>> customizers = new ArrayList<>();
    private final List<PerTestState> attachments = new ArrayList<>();

    private Builder(String location) {
      this.location = location;
    }

    /** The module's name (default: the file name without {@code .wasm}). */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The module type: {@code wasi} (default) or {@code kubewarden}. */
    public Builder type(String type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /**
     * The settings: YAML or JSON text, a {@link java.util.Map}, a {@link JsonNode}; null for none.
     */
    public Builder settings(Object settings) {
      this.settings = Trees.of(settings);
      return this;
    }

    /** The settings, read from a YAML or JSON file or class path resource. */
    public Builder settingsFile(String location) {
      this.settings = Fixtures.load(location);
      return this;
    }

    /** Admission: the module mutates (also true when its metadata says so). */
    public Builder mutating(boolean mutating) {
      this.mutating = mutating;
      return this;
    }

    /** The deadline of one evaluation (default: the production default, 2 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * A runtime-specific option, as in a configuration file (e.g. Kubewarden's {@code
     * allowedHostCapabilities}); the value may be YAML or JSON text, a list, a map or a tree.
     */
    public Builder option(String key, Object value) {
      options.put(Objects.requireNonNull(key, "key"), Trees.of(value));
      return this;
    }

    /** Several runtime-specific options, as a YAML or JSON map (text, {@link java.util.Map}...). */
    public Builder options(Object options) {
      JsonNode map = Trees.of(options);
      if (map == null || map.isNull()) {
        return this;
      }
      if (!map.isObject()) {
        throw new IllegalArgumentException("options must be a map, got: " + Texts.compact(map));
      }
      map.properties().forEach(e -> this.options.put(e.getKey(), e.getValue()));
      return this;
    }

    /** Attaches per-test state, reset after each test by the {@link WasmPolicy} extension. */
    public Builder attach(PerTestState state) {
      attachments.add(Objects.requireNonNull(state, "state"));
      return this;
    }

    /** Adjusts the module spec before loading (limits, engine, clock, extensions...). */
    public Builder customize(UnaryOperator<ModuleSpec.Builder> customizer) {
      customizers.add(Objects.requireNonNull(customizer, "customizer"));
      return this;
    }

    /** The spec that {@link #load()} loads. */
    public ModuleSpec spec() {
      Location found = Location.of(location);
      String moduleName = name;
      if (moduleName == null || moduleName.isBlank()) {
        moduleName = found.fileName();
        if (moduleName.endsWith(".wasm")) {
          moduleName = moduleName.substring(0, moduleName.length() - ".wasm".length());
        }
      }
      ModuleSpec.Builder b = ModuleSpec.builder(moduleName).type(type).settings(settings);
      if (found.file().isPresent()) {
        b.path(found.file().get());
      } else {
        b.bytes(found.read());
      }
      if (timeout != null) {
        b.limits(Limits.defaults().toBuilder().timeout(timeout).build());
      }
      options.forEach(b::option);
      for (UnaryOperator<ModuleSpec.Builder> c : customizers) {
        b = c.apply(b);
      }
      return b.build();
    }

    /**
     * Loads the module.
     *
     * @throws dev.k8swasm.module.ModuleException when it cannot be loaded or rejects its settings
     * @throws IllegalArgumentException when it is not found or no runtime loads its type
     */
    public Policy load() {
      return new Policy(ModuleRuntimes.load(spec()), mutating, attachments);
    }
  }
}
