package dev.k8swasm.benchmarks;

import dev.k8swasm.authn.AuthenticationCacheOptions;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationCacheOptions;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The decision caches: a SubjectAccessReview ({@code sar-configmaps.json}) and a TokenReview
 * ({@code tokenreview-magic.json}) decided by the magic modules through a chain, evaluated every
 * time ({@code *Evaluated}, no cache), answered from the chain's cache ({@code *Cached}: the
 * canonical form of the review, its HMAC-SHA256 and the lookup), and missed every time ({@code
 * authorizeMissed}: a cache that keeps nothing, so each call pays the key and the lookup on top of
 * the evaluation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionCacheBenchmark {
  private AuthorizerChain authzEvaluated;
  private AuthorizerChain authzCached;
  private AuthorizerChain authzMissed;
  private AuthenticatorChain authnEvaluated;
  private AuthenticatorChain authnCached;
  private SubjectAccessReview sar;
  private TokenReview tokenReview;

  @Setup(Level.Trial)
  public void open() {
    sar =
        Json.read(
            Json.write(Fixtures.read(Fixtures.request("sar-configmaps.json"))),
            SubjectAccessReview.class);
    tokenReview =
        Json.read(
            Json.write(Fixtures.read(Fixtures.request("tokenreview-magic.json"))),
            TokenReview.class);
    authzEvaluated = AuthorizerChain.builder().add(authorizer()).build();
    authzCached =
        AuthorizerChain.builder()
            .add(authorizer())
            .cache(AuthorizationCacheOptions.defaults())
            .build();
    authzMissed =
        AuthorizerChain.builder()
            .add(authorizer())
            .cache(
                AuthorizationCacheOptions.builder()
                    .authorizedTtl(Duration.ZERO)
                    .unauthorizedTtl(Duration.ZERO)
                    .build())
            .build();
    authnEvaluated = AuthenticatorChain.builder().add(authenticator()).build();
    authnCached =
        AuthenticatorChain.builder()
            .add(authenticator())
            .cache(AuthenticationCacheOptions.defaults())
            .build();
    if (!authzCached.authorize(sar).allowed()
        || !authnCached.authenticate(tokenReview).authenticated()) {
      throw new IllegalStateException("the magic modules should allow and authenticate");
    }
  }

  private static ModuleAuthorizer authorizer() {
    return ModuleAuthorizer.of(
        ModuleRuntimes.load(
            ModuleSpec.builder("magic_authorizer")
                .path(Fixtures.module("magic_authorizer.wasm"))
                .engine(Engine.COMPILER)
                .build()));
  }

  private static ModuleAuthenticator authenticator() {
    return ModuleAuthenticator.of(
        ModuleRuntimes.load(
            ModuleSpec.builder("magic_authenticator")
                .path(Fixtures.module("magic_authenticator.wasm"))
                .engine(Engine.COMPILER)
                .build()));
  }

  @TearDown(Level.Trial)
  public void close() {
    authzEvaluated.close();
    authzCached.close();
    authzMissed.close();
    authnEvaluated.close();
    authnCached.close();
  }

  @Benchmark
  public Object authorizeEvaluated() {
    return authzEvaluated.authorize(sar);
  }

  @Benchmark
  public Object authorizeCached() {
    return authzCached.authorize(sar);
  }

  @Benchmark
  public Object authorizeMissed() {
    return authzMissed.authorize(sar);
  }

  @Benchmark
  public Object authenticateEvaluated() {
    return authnEvaluated.authenticate(tokenReview);
  }

  @Benchmark
  public Object authenticateCached() {
    return authnCached.authenticate(tokenReview);
  }
}
