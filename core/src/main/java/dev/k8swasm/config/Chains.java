package dev.k8swasm.config;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.FailurePolicy;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.ReinvocationPolicy;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticationCacheOptions;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authz.AuthorizationCacheOptions;
import dev.k8swasm.authz.AuthorizationFailurePolicy;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.internal.Closeables;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds ready-to-use chains from configuration: every module is loaded, validated and compiled
 * before the chain is returned, and every problem is reported at once. The runtimes are found with
 * {@link ModuleRuntimes} by module type.
 *
 * <p>Every method throws {@link ConfigException} (listing every problem with file, module and
 * field) when the configuration or one of its modules cannot be used, and never returns a
 * half-built chain: the modules loaded before a problem are closed again. The caller owns the
 * returned chain: share it between threads (it is thread-safe) and close it once no evaluation
 * needs it. The methods themselves are thread-safe.
 *
 * <pre>{@code
 * try (AdmissionChain admission = Chains.admission(Path.of("admission.yaml"))) {
 *   AdmissionReview answered = admission.admit(review);
 * }
 * }</pre>
 */
public final class Chains {
  private static final Logger LOG = LoggerFactory.getLogger(Chains.class);

  private Chains() {}

  /**
   * The authentication chain configured in {@code file}.
   *
   * @throws ConfigException when the file or a module cannot be used
   */
  public static AuthenticatorChain authenticator(Path file) {
    return authenticator(ConfigLoader.load(file), ChainOptions.defaults());
  }

  /**
   * The authorization chain configured in {@code file}.
   *
   * @throws ConfigException when the file or a module cannot be used
   */
  public static AuthorizerChain authorizer(Path file) {
    return authorizer(ConfigLoader.load(file), ChainOptions.defaults());
  }

  /**
   * The admission chain configured in {@code file} (module list or AdmissionConfiguration).
   *
   * @throws ConfigException when the file or a module cannot be used
   */
  public static AdmissionChain admission(Path file) {
    return admission(ConfigLoader.load(file), ChainOptions.defaults());
  }

  /**
   * The authentication chain of {@code config}, with the decision cache it asks for ({@code
   * cache:}, reporting to {@link ChainOptions#cacheListener()}).
   *
   * @throws ConfigException when a module cannot be loaded or does not authenticate, or the cache
   *     has authorization fields
   */
  public static AuthenticatorChain authenticator(PolicyConfig config, ChainOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    List<String> problems = new ArrayList<>();
    AuthenticationCacheOptions cache =
        config.cache().map(c -> authenticationCache(c, options, problems)).orElse(null);
    return build(
        config,
        options,
        ReviewKind.AUTHENTICATION,
        (m, c, found) ->
            ModuleAuthenticator.builder(m)
                .implicitAudiences(config.implicitAudiences())
                .listener(options.listener())
                .build(),
        authenticators -> {
          AuthenticatorChain.Builder b = AuthenticatorChain.builder();
          authenticators.forEach(b::add);
          if (cache != null) {
            b.cache(cache);
          }
          return b.build();
        },
        problems);
  }

  /**
   * The authorization chain of {@code config}, with the decision cache it asks for ({@code cache:},
   * reporting to {@link ChainOptions#cacheListener()}).
   *
   * @throws ConfigException when a module cannot be loaded or does not authorize, or the cache has
   *     authentication fields
   */
  public static AuthorizerChain authorizer(PolicyConfig config, ChainOptions options) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    List<String> problems = new ArrayList<>();
    AuthorizationCacheOptions cache =
        config.cache().map(c -> authorizationCache(c, options, problems)).orElse(null);
    return build(
        config,
        options,
        ReviewKind.AUTHORIZATION,
        (m, c, found) -> {
          AuthorizationFailurePolicy policy =
              c.authorizationFailurePolicy().orElse(AuthorizationFailurePolicy.NO_OPINION);
          String written =
              c.failurePolicy()
                  .map(Chains::wireName)
                  .orElse(c.invalidFields().get("failurePolicy"));
          if (written != null) {
            // an admission value, or none at all: the parser says what authorization accepts
            invalid(c, "failurePolicy", () -> AuthorizationFailurePolicy.parse(written), found);
          }
          return ModuleAuthorizer.builder(m)
              .failurePolicy(policy)
              .listener(options.listener())
              .build();
        },
        authorizers -> {
          AuthorizerChain.Builder b = AuthorizerChain.builder();
          authorizers.forEach(b::add);
          if (cache != null) {
            b.cache(cache);
          }
          return b.build();
        },
        problems);
  }

  /**
   * The admission chain of {@code config}. Rules and {@code mutating} come from the configuration,
   * or else from what the module declares (e.g. Kubewarden metadata); a module with no rules is
   * never called. Admission decisions are never cached: a configuration with {@code cache:} is
   * refused.
   *
   * @throws ConfigException when a module cannot be loaded or a field is invalid
   */
  public static AdmissionChain admission(PolicyConfig config, ChainOptions options) {
    Objects.requireNonNull(config, "config");
    List<String> problems = new ArrayList<>();
    config
        .cache()
        .ifPresent(
            c ->
                problems.add(
                    c.source()
                        + ": admission decisions are never cached (a decision cache is for"
                        + " authentication and authorization); remove 'cache'"));
    return build(
        config,
        options,
        ReviewKind.ADMISSION,
        (m, c, found) -> hook(m, c, options, found),
        hooks -> {
          AdmissionChain.Builder b = AdmissionChain.builder();
          hooks.forEach(b::add);
          options.namespaceLabels().ifPresent(b::namespaceLabels);
          return b.build();
        },
        problems);
  }

  private static AuthenticationCacheOptions authenticationCache(
      CacheConfig c, ChainOptions options, List<String> problems) {
    for (String field : List.of("authorizedTtl", "unauthorizedTtl")) {
      boolean given =
          field.equals("authorizedTtl")
              ? c.authorizedTtl().isPresent()
              : c.unauthorizedTtl().isPresent();
      if (given) {
        problems.add(
            c.source()
                + ": field '"
                + field
                + "' is for authorization; an authentication cache has 'ttl' and 'maxEntries'");
      }
    }
    AuthenticationCacheOptions.Builder b =
        AuthenticationCacheOptions.builder().listener(options.cacheListener());
    c.ttl().ifPresent(b::ttl);
    c.maxEntries().ifPresent(b::maxEntries);
    return b.build();
  }

  private static AuthorizationCacheOptions authorizationCache(
      CacheConfig c, ChainOptions options, List<String> problems) {
    if (c.ttl().isPresent()) {
      problems.add(
          c.source()
              + ": field 'ttl' is for authentication; an authorization cache has 'authorizedTtl',"
              + " 'unauthorizedTtl' and 'maxEntries'");
    }
    AuthorizationCacheOptions.Builder b =
        AuthorizationCacheOptions.builder().listener(options.cacheListener());
    c.authorizedTtl().ifPresent(b::authorizedTtl);
    c.unauthorizedTtl().ifPresent(b::unauthorizedTtl);
    c.maxEntries().ifPresent(b::maxEntries);
    return b.build();
  }

  /** The spec of a configured module, before {@link ChainOptions#specCustomizer()}. */
  public static ModuleSpec.Builder spec(ModuleConfig c) {
    ModuleSpec.Builder b =
        ModuleSpec.builder(c.name())
            .source(c.module())
            .type(c.type())
            .settings(c.settings().orElse(null))
            .debug(c.debug())
            .limits(c.limits())
            .engine(c.engine());
    c.strategy().ifPresent(b::strategy);
    c.options().forEach(b::option);
    return b;
  }

  private static AdmissionHook hook(
      PolicyModule m, ModuleConfig c, ChainOptions options, List<String> problems) {
    boolean mutating = c.mutating().or(() -> m.metadata().mutating()).orElse(false);
    List<RuleWithOperations> rules = c.rules().or(() -> m.metadata().rules()).orElse(List.of());
    if (rules.isEmpty()) {
      LOG.warn("admission module '{}' has no rules and will never be called", c.name());
    }
    AdmissionHook.Builder b =
        AdmissionHook.builder(
                c.name(),
                ModuleAdmissionController.builder(m)
                    .mutating(mutating)
                    .listener(options.listener())
                    .build())
            .rules(rules);
    c.failurePolicy().ifPresent(b::failurePolicy);
    String written =
        c.authorizationFailurePolicy()
            .map(Chains::wireName)
            .orElse(c.invalidFields().get("failurePolicy"));
    if (written != null) {
      // an authorization value, or none at all: the parser says what admission accepts
      invalid(c, "failurePolicy", () -> FailurePolicy.parse(written), problems);
    }
    c.reinvocationPolicy().ifPresent(b::reinvocationPolicy);
    String reinvocation = c.invalidFields().get("reinvocationPolicy");
    if (reinvocation != null) {
      invalid(c, "reinvocationPolicy", () -> ReinvocationPolicy.parse(reinvocation), problems);
    }
    c.namespaceSelector().ifPresent(b::namespaceSelector);
    c.objectSelector().ifPresent(b::objectSelector);
    return b.build();
  }

  private interface Wrapper<T> {
    T wrap(PolicyModule module, ModuleConfig config, List<String> problems);
  }

  private static <T, C> C build(
      PolicyConfig config,
      ChainOptions options,
      ReviewKind kind,
      Wrapper<T> wrapper,
      Function<List<T>, C> assemble,
      List<String> problems) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    List<PolicyModule> loaded = new ArrayList<>();
    List<T> items = new ArrayList<>();
    for (ModuleConfig c : config.modules()) {
      PolicyModule module;
      try {
        module = ModuleRuntimes.load(options.specCustomizer().apply(spec(c)).build());
      } catch (ModuleException | IllegalArgumentException | IllegalStateException e) {
        problems.add(c.source() + ": " + e.getMessage());
        continue;
      }
      module = Objects.requireNonNull(options.moduleDecorator().apply(module), "decorated module");
      loaded.add(module);
      if (!module.kinds().contains(kind)) {
        problems.add(
            c.source()
                + ": module '"
                + c.name()
                + "' cannot evaluate "
                + kind.wireKind()
                + "s (a WASI module must export '"
                + export(kind)
                + "'); it supports "
                + module.kinds());
        continue;
      }
      items.add(wrapper.wrap(module, c, problems));
    }
    if (!problems.isEmpty()) {
      Closeables.closeAll(loaded);
      throw new ConfigException(problems);
    }
    return assemble.apply(items);
  }

  private static String export(ReviewKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> "authn";
      case AUTHORIZATION -> "authz";
      case ADMISSION -> "validate";
    };
  }

  /** How {@code policy} is written in configuration. */
  private static String wireName(FailurePolicy policy) {
    return switch (policy) {
      case FAIL -> "Fail";
      case IGNORE -> "Ignore";
    };
  }

  /** How {@code policy} is written in configuration. */
  private static String wireName(AuthorizationFailurePolicy policy) {
    return switch (policy) {
      case NO_OPINION -> "NoOpinion";
      case DENY -> "Deny";
    };
  }

  /** Adds the message of {@code parse}, which rejects a value of {@code field}, to the problems. */
  private static void invalid(ModuleConfig c, String field, Runnable parse, List<String> problems) {
    try {
      parse.run();
    } catch (IllegalArgumentException e) {
      problems.add(c.source() + ": field '" + field + "': " + e.getMessage());
    }
  }
}
