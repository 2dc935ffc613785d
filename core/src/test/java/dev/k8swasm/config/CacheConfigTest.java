package dev.k8swasm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.k8swasm.authn.AuthenticationCacheOptions;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationCacheOptions;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.ResourceAttributes;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.module.ReviewKind;
import dev.k8swasm.testing.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache:} in authentication and authorization configuration files. */
class CacheConfigTest {
  @TempDir Path dir;

  Path write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  static SubjectAccessReview review() {
    return SubjectAccessReview.builder()
        .user("alice")
        .resourceAttributes(ResourceAttributes.builder().verb("get").resource("pods").build())
        .build();
  }

  @Test
  void withoutCacheThereIsNone() throws IOException {
    write("m.wasm", ChainsTest.AUTHZ_ALLOW);
    PolicyConfig config = ConfigLoader.load(write("c.yaml", "modules: [{module: m.wasm}]\n"));
    assertThat(config.cache()).isEmpty();
    try (AuthorizerChain chain = Chains.authorizer(config, ChainOptions.defaults())) {
      assertThat(chain.cache()).isEmpty();
      chain.authorize(review());
      chain.authorize(review());
    }
    assertThat(FakeRuntime.loadedUnder(dir).get(0).module().calls()).isEqualTo(2);
  }

  @Test
  void cacheTrueGivesKubeApiserversDefaultsAndFalseNone() throws IOException {
    write("m.wasm", ChainsTest.AUTHN_OK);
    PolicyConfig on =
        ConfigLoader.load(write("on.yaml", "cache: true\nmodules: [{module: m.wasm}]\n"));
    PolicyConfig off =
        ConfigLoader.load(write("off.yaml", "cache: false\nmodules: [{module: m.wasm}]\n"));

    assertThat(off.cache()).isEmpty();
    try (AuthenticatorChain chain = Chains.authenticator(on, ChainOptions.defaults())) {
      AuthenticationCacheOptions options = chain.cache().orElseThrow();
      assertThat(options.ttl()).isEqualTo(Duration.ofMinutes(2));
      assertThat(options.maxEntries()).isEqualTo(8192);
    }
  }

  @Test
  void anAuthorizationCacheIsConfiguredAndReportsToTheChainOptionsListener() throws IOException {
    write("m.wasm", ChainsTest.AUTHZ_ALLOW);
    Path file =
        write(
            "authz.yaml",
            """
            cache:
              authorizedTtl: 1m
              unauthorizedTtl: 0s
              maxEntries: 100
            modules:
            - module: m.wasm
            """);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    ChainOptions options =
        ChainOptions.builder().cacheListener((kind, e) -> events.add(kind + " " + e)).build();
    assertThat(options.toBuilder().build().cacheListener()).isSameAs(options.cacheListener());

    try (AuthorizerChain chain = Chains.authorizer(ConfigLoader.load(file), options)) {
      AuthorizationCacheOptions cache = chain.cache().orElseThrow();
      assertThat(cache.authorizedTtl()).isEqualTo(Duration.ofMinutes(1));
      assertThat(cache.unauthorizedTtl()).isZero();
      assertThat(cache.maxEntries()).isEqualTo(100);

      chain.authorize(review());
      chain.authorize(review());
    }
    assertThat(FakeRuntime.loadedUnder(dir).get(0).module().calls()).isEqualTo(1);
    assertThat(events).containsExactly("AUTHORIZATION MISS", "AUTHORIZATION HIT");
  }

  @Test
  void anAuthenticationCacheIsConfigured() throws IOException {
    write("m.wasm", ChainsTest.AUTHN_OK);
    Path file =
        write("authn.json", "{\"cache\":{\"ttl\":\"10s\"},\"modules\":[{\"module\":\"m.wasm\"}]}");
    List<ReviewKind> kinds = Collections.synchronizedList(new ArrayList<>());
    ChainOptions options = ChainOptions.builder().cacheListener((k, e) -> kinds.add(k)).build();

    try (AuthenticatorChain chain = Chains.authenticator(ConfigLoader.load(file), options)) {
      assertThat(chain.cache().orElseThrow().ttl()).isEqualTo(Duration.ofSeconds(10));
      chain.authenticate(TokenReview.forToken("magic-token", null));
      chain.authenticate(TokenReview.forToken("magic-token", null));
    }
    assertThat(FakeRuntime.loadedUnder(dir).get(0).module().calls()).isEqualTo(1);
    assertThat(kinds).containsOnly(ReviewKind.AUTHENTICATION);
  }

  @Test
  void badCacheValuesAreReportedWithTheOtherProblems() throws IOException {
    Path file =
        write(
            "bad.yaml",
            """
            cache:
              tll: 2m
              authorizedTtl: soon
              unauthorizedTtl: [30s]
              maxEntries: 0
            modules:
            - module: m.wasm
              timeout: never
            """);

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

    assertThat(e.problems())
        .contains(
            file + ": cache: unknown field 'tll' (did you mean 'ttl'?)",
            file + ": cache: field 'unauthorizedTtl': expected a single value",
            file
                + ": cache: field 'maxEntries': invalid number '0': use a whole number above zero"
                + " such as 10000")
        .anySatisfy(p -> assertThat(p).startsWith(file + ": cache: field 'authorizedTtl': "))
        .anySatisfy(p -> assertThat(p).contains("field 'timeout'"));
  }

  @Test
  void cacheMustBeABooleanOrAnObject() throws IOException {
    Path file = write("c.yaml", "cache: 5m\nmodules: [{module: m.wasm}]\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e.problems())
        .contains(
            file
                + ": cache: expected true, false or an object with ttl, authorizedTtl,"
                + " unauthorizedTtl, maxEntries (e.g. {ttl: 2m})");
  }

  @Test
  void aTopLevelTypoIsSuggested() throws IOException {
    Path file = write("c.yaml", "cashe: true\nmodules: [{module: m.wasm}]\n");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e.problems())
        .contains(file + ": unknown top-level field 'cashe' (did you mean 'cache'?)");
  }

  @Test
  void fieldsOfTheOtherKindAreRefusedAndNothingStaysOpen() throws IOException {
    write("authn.wasm", ChainsTest.AUTHN_OK);
    write("authz.wasm", ChainsTest.AUTHZ_ALLOW);
    PolicyConfig authn =
        ConfigLoader.load(
            write("authn.yaml", "cache: {authorizedTtl: 1m}\nmodules: [{module: authn.wasm}]\n"));
    PolicyConfig authz =
        ConfigLoader.load(
            write("authz.yaml", "cache: {ttl: 1m}\nmodules: [{module: authz.wasm}]\n"));

    ConfigException a =
        catchThrowableOfType(
            ConfigException.class, () -> Chains.authenticator(authn, ChainOptions.defaults()));
    ConfigException z =
        catchThrowableOfType(
            ConfigException.class, () -> Chains.authorizer(authz, ChainOptions.defaults()));

    assertThat(a.problems())
        .containsExactly(
            dir.resolve("authn.yaml")
                + ": cache: field 'authorizedTtl' is for authorization; an authentication cache"
                + " has 'ttl' and 'maxEntries'");
    assertThat(z.problems())
        .containsExactly(
            dir.resolve("authz.yaml")
                + ": cache: field 'ttl' is for authentication; an authorization cache has"
                + " 'authorizedTtl', 'unauthorizedTtl' and 'maxEntries'");
    assertThat(FakeRuntime.loadedUnder(dir))
        .allSatisfy(l -> assertThat(l.module().closeCount()).isEqualTo(1));
  }

  @Test
  void admissionIsNeverCached() throws IOException {
    write("v.wasm", ChainsTest.ADMIT);
    PolicyConfig config =
        ConfigLoader.load(write("adm.yaml", "cache: true\nmodules: [{module: v.wasm}]\n"));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Chains.admission(config, ChainOptions.defaults()));

    assertThat(e.problems())
        .containsExactly(
            dir.resolve("adm.yaml")
                + ": cache: admission decisions are never cached (a decision cache is for"
                + " authentication and authorization); remove 'cache'");
    assertThat(FakeRuntime.loadedUnder(dir).get(0).module().closeCount()).isEqualTo(1);
  }
}
