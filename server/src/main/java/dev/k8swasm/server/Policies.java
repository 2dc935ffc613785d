package dev.k8swasm.server;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.NamespaceLabels;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigException;
import dev.k8swasm.config.ModuleConfig;
import dev.k8swasm.config.PolicyConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  private final List<AdmissionChain> groupMembers;
  private final List<AdmissionHook> groupHooks;
  private final Map<String, String> initializationErrors;
  private final AtomicInteger references = new AtomicInteger(1);
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private Policies(
      long generation,
      ServerConfig config,
      AuthenticatorChain authenticator,
      AuthorizerChain authorizer,
      AdmissionChain admission,
      List<PolicyGroup> groups,
      List<AdmissionChain> groupMembers,
      Map<String, String> initializationErrors,
      NamespaceLabels namespaceLabels) {
    this.generation = generation;
    this.config = config;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.admission = admission;
    Map<String, AdmissionChain> m = new LinkedHashMap<>();
    Map<String, AdmissionChain> v = new LinkedHashMap<>();
    Set<String> monitored = monitored(config);
    if (admission != null) {
      this.mutators = phase(admission.mutators(), monitored, namespaceLabels);
      this.validators = phase(admission.validators(), monitored, namespaceLabels);
      admission
          .mutators()
          .forEach(h -> m.put(h.name(), phase(List.of(h), monitored, namespaceLabels)));
      admission
          .validators()
          .forEach(h -> v.put(h.name(), phase(List.of(h), monitored, namespaceLabels)));
    } else {
      this.mutators = null;
      this.validators = null;
    }
    this.singleMutators = Map.copyOf(m);
    this.singleValidators = Map.copyOf(v);
    this.policyServer = policyServer(config, admission, groups, initializationErrors);
    this.groupMembers = List.copyOf(groupMembers);
    this.groupHooks = groupHooks(groups);
    this.initializationErrors =
        Collections.unmodifiableMap(new LinkedHashMap<>(initializationErrors));
  }

  /**
   * The policies and policy groups of the policies.yml that failed to initialize (id to the cause),
   * in file order: only with {@code continueOnPolicyErrors}, else such a configuration is not
   * loaded. They have no hook (no metadata, no rules); each answers every request with a rejection.
   */
  Map<String, String> initializationErrors() {
    return initializationErrors;
  }

  /**
   * One validating hook per policy group, for the generated webhook configuration: its rules are
   * those of its members together.
   */
  private static List<AdmissionHook> groupHooks(List<PolicyGroup> groups) {
    List<AdmissionHook> out = new ArrayList<>();
    for (PolicyGroup g : groups) {
      Set<RuleWithOperations> rules = new java.util.LinkedHashSet<>();
      g.memberHooks().forEach(h -> rules.addAll(h.rules()));
      out.add(AdmissionHook.builder(g.id(), g).rules(List.copyOf(rules)).build());
    }
    return List.copyOf(out);
  }

  /** The policy groups of the policies.yml as validating hooks (see {@link #groupHooks}). */
  List<AdmissionHook> groupHooks() {
    return groupHooks;
  }

  /** The members of policy group {@code id} as configured, for their limits. */
  List<ModuleConfig> groupMembers(String id) {
    return config.policies().stream()
        .flatMap(f -> f.groups().stream())
        .filter(g -> g.id().equals(id))
        .flatMap(g -> g.members().stream())
        .toList();
  }

  /** The ids of the policies.yml's policies in monitor mode. */
  private static Set<String> monitored(ServerConfig config) {
    Set<String> out = new HashSet<>();
    config
        .policies()
        .ifPresent(
            f ->
                f.modes()
                    .forEach(
                        (id, mode) -> {
                          if (mode == PolicyMode.MONITOR) {
                            out.add(id);
                          }
                        }));
    return out;
  }

  /** The policies of the configuration's policies.yml, by id, with their controllers. */
  private static Map<String, PolicyServerReviews.Policy> policyServer(
      ServerConfig config,
      AdmissionChain admission,
      List<PolicyGroup> groups,
      Map<String, String> initializationErrors) {
    Map<String, PolicyServerReviews.Policy> out = new LinkedHashMap<>();
    if (config.policies().isEmpty()) {
      return Map.of();
    }
    PoliciesFile file = config.policies().get();
    Map<String, AdmissionHook> hooks = new LinkedHashMap<>();
    if (admission != null) {
      admission.mutators().forEach(h -> hooks.put(h.name(), h));
      admission.validators().forEach(h -> hooks.put(h.name(), h));
    }
    for (ModuleConfig c : file.policies()) {
      AdmissionHook h = hooks.get(c.name());
      String error = initializationErrors.get(c.name());
      if (error != null) {
        out.put(
            c.name(),
            PolicyServerReviews.Policy.failed(
                c.name(), error, file.modes().getOrDefault(c.name(), PolicyMode.PROTECT)));
      } else if (h != null) {
        out.put(
            c.name(),
            new PolicyServerReviews.Policy(
                c.name(),
                h.controller(),
                h.mutating(),
                file.messages().get(c.name()),
                file.modes().getOrDefault(c.name(), PolicyMode.PROTECT)));
      }
    }
    Map<String, PolicyMode> groupModes = new HashMap<>();
    file.groups().forEach(g -> groupModes.put(g.id(), g.policyMode()));
    for (PolicyGroup g : groups) {
      // as policy-server: a group never mutates and has no custom message (its message is its own)
      out.put(
          g.id(),
          new PolicyServerReviews.Policy(
              g.id(), g, false, null, groupModes.getOrDefault(g.id(), PolicyMode.PROTECT)));
    }
    for (PoliciesFile.Group g : file.groups()) {
      String error = initializationErrors.get(g.id());
      if (error != null) {
        out.put(g.id(), PolicyServerReviews.Policy.failed(g.id(), error, g.policyMode()));
      }
    }
    return Map.copyOf(out);
  }

  /** Policy {@code id} of the configuration's policies.yml, if there is one. */
  Optional<PolicyServerReviews.Policy> policyServer(String id) {
    return Optional.ofNullable(policyServer.get(id));
  }

  /**
   * Loads every module of {@code config} and builds the chains; a policy of the policies.yml that
   * fails to initialize fails the whole configuration.
   *
   * @throws ConfigException listing every problem of every section; nothing stays loaded then
   */
  static Policies load(ServerConfig config, ChainOptions options, long generation) {
    return load(config, options, generation, false);
  }

  /**
   * Loads every module of {@code config} and builds the chains.
   *
   * @param continueOnPolicyErrors policy-server's {@code --continue-on-errors}: a policy of the
   *     policies.yml (or a member of a policy group) that fails to initialize (its module cannot be
   *     fetched, loaded or compiled, or its settings are refused) does not fail the configuration:
   *     it is logged (one ERROR line) and kept in {@link #initializationErrors()}, and answers
   *     every request with a rejection carrying the cause, code 500. Problems of the server's own
   *     modules and of the file's structure still fail it.
   * @throws ConfigException listing every problem of every section; nothing stays loaded then
   */
  static Policies load(
      ServerConfig config, ChainOptions options, long generation, boolean continueOnPolicyErrors) {
    List<String> problems = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
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
      if (config.admission().isPresent()
          && continueOnPolicyErrors
          && config.policies().isPresent()) {
        admission =
            admissionContinuing(
                config.admission().get(), config.policies().get(), options, problems, failed);
        if (admission != null) {
          built.add(admission);
        }
      } else if (config.admission().isPresent()) {
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
    List<PolicyGroup> groups = new ArrayList<>();
    List<AdmissionChain> members = new ArrayList<>();
    if (config.policies().isPresent()) {
      try {
        groups(
            config.policies().get(),
            options,
            continueOnPolicyErrors,
            problems,
            failed,
            groups,
            members);
      } catch (RuntimeException e) {
        closeAll(built);
        closeAll(new ArrayList<>(members));
        throw e;
      }
      built.addAll(members);
    }
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
    Set<String> groupIds = new HashSet<>();
    config.policies().ifPresent(f -> f.groups().forEach(g -> groupIds.add(g.id())));
    Map<String, String> served = new LinkedHashMap<>();
    failed.forEach(
        (id, cause) -> {
          if (groupIds.contains(id)) {
            // its failed members have their own lines
            served.put(id, cause);
            return;
          }
          if (!id.contains("/")) {
            served.put(id, cause);
          }
          LOG.error(
              "policy '{}' failed to initialize; {} answers every request with a rejection"
                  + " (continue on policy errors): {}",
              LogText.escape(id),
              id.contains("/") ? "its group" : "it",
              LogText.escape(cause));
        });
    return new Policies(
        generation, config, authn, authz, admission, groups, members, served, namespaceLabels);
  }

  /**
   * The admission chain of {@code config} when the policies of {@code file} may fail to initialize:
   * each policy is loaded on its own, and one that fails goes to {@code failed} (id to cause); the
   * server's own admission modules go into problems as usual.
   *
   * @return the chain without the failed policies, or null when an own module has problems
   */
  private static AdmissionChain admissionContinuing(
      PolicyConfig config,
      PoliciesFile file,
      ChainOptions options,
      List<String> problems,
      Map<String, String> failed) {
    Set<String> ids = new HashSet<>();
    file.policies().forEach(m -> ids.add(m.name()));
    List<ModuleConfig> own =
        config.modules().stream().filter(m -> !ids.contains(m.name())).toList();
    List<AdmissionChain> loaded = new ArrayList<>();
    boolean ownFailed = false;
    try {
      if (!own.isEmpty() || config.cache().isPresent()) {
        try {
          loaded.add(
              Chains.admission(
                  PolicyConfig.of(
                      own,
                      config.implicitAudiences(),
                      config.file().orElse(null),
                      config.cache().orElse(null)),
                  options));
        } catch (ConfigException e) {
          problems.addAll(e.problems());
          ownFailed = true;
        }
      }
      for (ModuleConfig m : file.policies()) {
        try {
          loaded.add(
              Chains.admission(PolicyConfig.of(List.of(m), List.of(), file.file()), options));
        } catch (ConfigException e) {
          failed.put(m.name(), cause(m, e));
        }
      }
    } catch (RuntimeException e) {
      closeAll(new ArrayList<>(loaded));
      throw e;
    }
    if (ownFailed) {
      closeAll(new ArrayList<>(loaded));
      return null;
    }
    return combine(config.modules(), loaded, options);
  }

  /**
   * One chain of the hooks of {@code loaded} in the order of {@code modules}; closing it closes
   * their modules.
   */
  private static AdmissionChain combine(
      List<ModuleConfig> modules, List<AdmissionChain> loaded, ChainOptions options) {
    Map<String, AdmissionHook> hooks = new HashMap<>();
    for (AdmissionChain c : loaded) {
      c.mutators().forEach(h -> hooks.put(h.name(), h));
      c.validators().forEach(h -> hooks.put(h.name(), h));
    }
    AdmissionChain.Builder b = AdmissionChain.builder();
    for (ModuleConfig m : modules) {
      AdmissionHook h = hooks.get(m.name());
      if (h != null) {
        b.add(h);
      }
    }
    options.namespaceLabels().ifPresent(b::namespaceLabels);
    return b.build();
  }

  /**
   * Why {@code module} failed to initialize, without the file and policy id every problem starts
   * with (it is answered to clients), the problems joined with "; ".
   */
  private static String cause(ModuleConfig module, ConfigException e) {
    String prefix = module.source() + ": ";
    List<String> parts = new ArrayList<>();
    for (String p : e.problems()) {
      parts.add(p.startsWith(prefix) ? p.substring(prefix.length()) : p);
    }
    return String.join("; ", parts);
  }

  /**
   * Loads the members of every policy group of {@code file} (each group's members as one chain, in
   * {@code members}) and compiles the groups' expressions; every problem goes to {@code problems}
   * (file, group id, field). With {@code continueOnPolicyErrors}, a group with a member that fails
   * to initialize goes to {@code failed} instead (group id to the first such member and its cause;
   * every failed member as {@code GROUP/MEMBER} too, for the log), its expression still compiled.
   */
  private static void groups(
      PoliciesFile file,
      ChainOptions options,
      boolean continueOnPolicyErrors,
      List<String> problems,
      Map<String, String> failed,
      List<PolicyGroup> groups,
      List<AdmissionChain> members) {
    for (PoliciesFile.Group g : file.groups()) {
      String at = file.file() + ": policy group '" + g.id() + "'";
      String prefix = g.id() + "/";
      AdmissionChain chain = null;
      String failure = null;
      if (continueOnPolicyErrors) {
        List<AdmissionChain> loaded = new ArrayList<>();
        Map<String, String> memberErrors = new LinkedHashMap<>();
        try {
          for (ModuleConfig c : g.members()) {
            try {
              loaded.add(
                  Chains.admission(PolicyConfig.of(List.of(c), List.of(), file.file()), options));
            } catch (ConfigException e) {
              memberErrors.put(c.name(), cause(c, e));
            }
          }
        } catch (RuntimeException e) {
          closeAll(new ArrayList<>(loaded));
          throw e;
        }
        if (memberErrors.isEmpty()) {
          chain = combine(g.members(), loaded, options);
          members.add(chain);
        } else {
          closeAll(new ArrayList<>(loaded));
          var first = memberErrors.entrySet().iterator().next();
          failure =
              "policy group member '"
                  + first.getKey().substring(prefix.length())
                  + "' failed to initialize: "
                  + first.getValue();
          failed.putAll(memberErrors);
        }
      } else {
        try {
          chain = Chains.admission(PolicyConfig.of(g.members(), List.of(), file.file()), options);
          members.add(chain);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
      Map<String, AdmissionController> controllers = new LinkedHashMap<>();
      List<AdmissionHook> hooks = chain == null ? List.of() : chain.validators();
      for (ModuleConfig c : g.members()) {
        // a member that did not load is a problem, or makes the group fail, already: the group is
        // not served then, its expression is only checked
        AdmissionController controller =
            hooks.stream()
                .filter(h -> h.name().equals(c.name()))
                .findFirst()
                .map(AdmissionHook::controller)
                .orElse(review -> review);
        controllers.put(c.name().substring(prefix.length()), controller);
      }
      PolicyGroup group =
          PolicyGroup.compile(g.id(), g.expression(), g.message(), controllers, at, problems);
      if (group != null && failure != null) {
        failed.put(g.id(), failure);
      } else if (group != null) {
        groups.add(group.withMemberHooks(hooks));
      }
    }
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
   * labels can be looked up, without them otherwise; the policies of a policies.yml in {@code
   * monitored} in policy-server's monitor mode.
   */
  private static AdmissionChain phase(
      List<AdmissionHook> hooks, Set<String> monitored, NamespaceLabels namespaceLabels) {
    AdmissionChain.Builder b = AdmissionChain.builder();
    for (AdmissionHook h : hooks) {
      AdmissionController controller =
          monitored.contains(h.name()) ? new MonitorMode(h.name(), h.controller()) : h.controller();
      AdmissionHook.Builder hook =
          AdmissionHook.builder(h.name(), controller)
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
    if (!groupHooks.isEmpty()) {
      parts.add("groups=" + groupHooks.stream().map(AdmissionHook::name).toList());
    }
    if (!initializationErrors.isEmpty()) {
      parts.add("failed=" + initializationErrors.keySet());
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
      all.addAll(groupMembers);
      closeAll(all);
      closed = true;
      LOG.debug(
          "configuration generation={} closed duration_ms={}",
          generation,
          (System.nanoTime() - start) / 1_000_000);
    }
  }
}
