package dev.k8swasm.server;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.NamespaceLabels;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.config.PolicyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded configuration: the chains every endpoint uses, immutable. Requests {@link #retain()}
 * it for their duration and {@link #release()} it afterwards; the holder's own reference is
 * released when a newer configuration replaces it, and the modules are closed when the last request
 * using it has finished.
 *
 * <p>Admission is served in phases, as kube-apiserver calls webhooks: {@code /mutate} runs only the
 * mutating modules (and answers with their JSONPatch), {@code /validate} only the validating ones,
 * and {@code /mutate/NAME} / {@code /validate/NAME} one module. All these chains share the modules
 * of one {@link AdmissionChain} built from the configuration. A module's {@code namespaceSelector}
 * is applied by the server when it can look namespace labels up ({@link
 * ChainOptions#namespaceLabels()}, e.g. from a cluster's informer cache); otherwise it is left to
 * kube-apiserver (it is written into the generated webhook configuration).
 */
final class Policies {
  private static final Logger LOG = LoggerFactory.getLogger(Policies.class);

  private final long generation;
  private final ServerConfig config;
  private final AuthenticatorChain authenticator;
  private final AuthorizerChain authorizer;
  private final AdmissionChain admission;
  private final AdmissionChain mutators;
  private final AdmissionChain validators;
  private final Map<String, AdmissionChain> singleMutators;
  private final Map<String, AdmissionChain> singleValidators;
  private final Map<String, PolicyServerReviews.Policy> policyServer;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private Policies(
      long generation,
      ServerConfig config,
      AuthenticatorChain authenticator,
      AuthorizerChain authorizer,
      AdmissionChain admission,
      NamespaceLabels namespaceLabels) {
    this.generation = generation;
    this.config = config;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.admission = admission;
    Map<String, AdmissionChain> m = new LinkedHashMap<>();
    Map<String, AdmissionChain> v = new LinkedHashMap<>();
    if (admission != null) {
      this.mutators = phase(admission.mutators(), namespaceLabels);
      this.validators = phase(admission.validators(), namespaceLabels);
      admission.mutators().forEach(h -> m.put(h.name(), phase(List.of(h), namespaceLabels)));
      admission.validators().forEach(h -> v.put(h.name(), phase(List.of(h), namespaceLabels)));
    } else {
      this.mutators = null;
      this.validators = null;
    }
    this.singleMutators = Map.copyOf(m);
    this.singleValidators = Map.copyOf(v);
    this.policyServer = policyServer(config, admission);
  }

  /** The policies of the configuration's policies.yml, by id, with their controllers. */
  private static Map<String, PolicyServerReviews.Policy> policyServer(
      ServerConfig config, AdmissionChain admission) {
    Map<String, PolicyServerReviews.Policy> out = new LinkedHashMap<>();
    if (admission == null || config.policies().isEmpty()) {
      return Map.of();
    }
    PoliciesFile file = config.policies().get();
    Map<String, AdmissionHook> hooks = new LinkedHashMap<>();
    admission.mutators().forEach(h -> hooks.put(h.name(), h));
    admission.validators().forEach(h -> hooks.put(h.name(), h));
    for (ModuleConfig c : file.policies()) {
      AdmissionHook h = hooks.get(c.name());
      if (h != null) {
        out.put(
            c.name(),
            new PolicyServerReviews.Policy(
                c.name(),
                h.controller(),
                h.mutating(),
                Optional.ofNullable(file.messages().get(c.name())),
                c.options().get("policyMode").asText("protect")));
      }
    }
    return Map.copyOf(out);
  }

  /** Policy {@code id} of the configuration's policies.yml, if there is one. */
  Optional<PolicyServerReviews.Policy> policyServer(String id) {
    return Optional.ofNullable(policyServer.get(id));
  }

  /**
   * Loads every module of {@code config} and builds the chains.
   *
   * @throws ConfigException listing every problem of every section; nothing stays loaded then
   */
  static Policies load(ServerConfig config, ChainOptions options, long generation) {
    List<String> problems = new ArrayList<>();
    List<AutoCloseable> built = new ArrayList<>();
    AuthenticatorChain authn = null;
    AuthorizerChain authz = null;
    AdmissionChain admission = null;
    try {
      if (config.authentication().isPresent()) {
        try {
          authn = Chains.authenticator(config.authentication().get(), options);
          built.add(authn);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
      if (config.authorization().isPresent()) {
        try {
          authz = Chains.authorizer(config.authorization().get(), options);
          built.add(authz);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
      if (config.admission().isPresent()) {
        try {
          admission = Chains.admission(config.admission().get(), options);
          built.add(admission);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
    } catch (RuntimeException e) {
      closeAll(built);
      throw e;
    }
    // Policy groups are refused rather than served: their CEL expressions are not evaluated yet,
    // and an endpoint that cannot decide would let kube-apiserver's failurePolicy decide instead
    config
        .policies()
        .ifPresent(
            f ->
                f.groups()
                    .forEach(
                        g ->
                            problems.add(
                                f.file()
                                    + ": policy group '"
                                    + g.id()
                                    + "': policy groups are not supported yet by k8s-wasm (their"
                                    + " expressions are not evaluated); remove the group or keep"
                                    + " it on policy-server")));
    if (!problems.isEmpty()) {
      closeAll(built);
      throw new ConfigException(problems);
    }
    NamespaceLabels namespaceLabels = options.namespaceLabels().orElse(null);
    if (admission != null && namespaceLabels == null) {
      for (AdmissionHook h : admission.mutators()) {
        noteNamespaceSelector(h);
      }
      for (AdmissionHook h : admission.validators()) {
        noteNamespaceSelector(h);
      }
    }
    return new Policies(generation, config, authn, authz, admission, namespaceLabels);
  }

  private static void noteNamespaceSelector(AdmissionHook h) {
    var s = h.namespaceSelector();
    boolean empty =
        (s.matchLabels() == null || s.matchLabels().isEmpty())
            && (s.matchExpressions() == null || s.matchExpressions().isEmpty());
    if (!empty) {
      LOG.info(
          "module={} has a namespaceSelector: kube-apiserver applies it (it is in the generated"
              + " webhook configuration); the server does not, as it cannot look up namespace"
              + " labels",
          h.name());
    }
  }

  /**
   * A chain of {@code hooks} as the server runs them: with their namespace selectors when namespace
   * labels can be looked up, without them otherwise.
   */
  private static AdmissionChain phase(List<AdmissionHook> hooks, NamespaceLabels namespaceLabels) {
    AdmissionChain.Builder b = AdmissionChain.builder();
    for (AdmissionHook h : hooks) {
      AdmissionHook.Builder hook =
          AdmissionHook.builder(h.name(), h.controller())
              .rules(h.rules())
              .failurePolicy(h.failurePolicy())
              .objectSelector(h.objectSelector())
              .reinvocationPolicy(h.reinvocationPolicy());
      if (namespaceLabels != null) {
        hook.namespaceSelector(h.namespaceSelector());
      }
      b.add(hook.build());
    }
    if (namespaceLabels != null) {
      b.namespaceLabels(namespaceLabels);
    }
    return b.build();
  }

  /** Counts from 1 with every configuration loaded. */
  long generation() {
    return generation;
  }

  ServerConfig config() {
    return config;
  }

  Optional<AuthenticatorChain> authenticator() {
    return Optional.ofNullable(authenticator);
  }

  Optional<AuthorizerChain> authorizer() {
    return Optional.ofNullable(authorizer);
  }

  /** The whole admission chain as configured (with namespace selectors), if configured. */
  Optional<AdmissionChain> admission() {
    return Optional.ofNullable(admission);
  }

  /** The mutating phase, if admission is configured. */
  Optional<AdmissionChain> mutators() {
    return Optional.ofNullable(mutators);
  }

  /** The validating phase, if admission is configured. */
  Optional<AdmissionChain> validators() {
    return Optional.ofNullable(validators);
  }

  /** The chain of the one mutating module {@code name}. */
  Optional<AdmissionChain> mutator(String name) {
    return Optional.ofNullable(singleMutators.get(name));
  }

  /** The chain of the one validating module {@code name}. */
  Optional<AdmissionChain> validator(String name) {
    return Optional.ofNullable(singleValidators.get(name));
  }

  /** The configured admission module {@code name}, for its limits. */
  Optional<ModuleConfig> admissionModule(String name) {
    return config.admission().stream()
        .flatMap(c -> c.modules().stream())
        .filter(m -> m.name().equals(name))
        .findFirst();
  }

  /** The module names, for logs. */
  String describe() {
    List<String> parts = new ArrayList<>();
    config.authentication().ifPresent(c -> parts.add("authentication=" + names(c)));
    config.authorization().ifPresent(c -> parts.add("authorization=" + names(c)));
    if (admission != null) {
      parts.add(
          "mutating="
              + admission.mutators().stream().map(AdmissionHook::name).toList()
              + " validating="
              + admission.validators().stream().map(AdmissionHook::name).toList());
    }
    return String.join(" ", parts);
  }

  private static List<String> names(PolicyConfig c) {
    return c.modules().stream().map(ModuleConfig::name).toList();
  }

  /** Takes a reference for one request; false when it has already been closed. */
  boolean retain() {
    while (true) {
      int n = references.get();
      if (n <= 0) {
        return false;
      }
      if (references.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one closes the modules. */
  void release() {
    if (references.decrementAndGet() == 0) {
      // usually on a request thread, whose answer must not wait for the modules to close
      Thread closer = new Thread(this::closeModules, "k8s-wasm-close-" + generation);
      closer.setDaemon(true);
      closer.start();
    }
  }

  /** Gives a reference back; the last one closes the modules on this thread. */
  void releaseNow() {
    if (references.decrementAndGet() == 0) {
      closeModules();
    }
  }

  /** Whether the modules have been closed. */
  boolean closed() {
    return closed;
  }

  private static void closeAll(List<AutoCloseable> items) {
    for (AutoCloseable c : items) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", c, e.toString());
      }
    }
  }

  private void closeModules() {
    if (closing.compareAndSet(false, true)) {
      long start = System.nanoTime();
      List<AutoCloseable> all = new ArrayList<>();
      if (authenticator != null) {
        all.add(authenticator);
      }
      if (authorizer != null) {
        all.add(authorizer);
      }
      if (admission != null) {
        all.add(admission);
      }
      closeAll(all);
      closed = true;
      LOG.debug(
          "configuration generation={} closed duration_ms={}",
          generation,
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
