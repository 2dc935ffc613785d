package dev.k8swasm.server;

import static dev.k8swasm.server.Fixture.module;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload while a bounded client loop runs: the behaviour switches within 2 seconds of a file
 * change, no request fails, a broken configuration keeps the old one serving, and the old modules
 * are closed once their requests are done.
 */
class HotReloadTest {
  static final String TOKEN_REVIEW = Fixture.request("tokenreview-v1-no-audiences.json");
  static final String SAR = Fixture.request("sar-configmaps.json");

  /**
   * How long the client loop runs before the change: the requirement is about a server that has
   * been serving, not a JVM that is still compiling its HTTP and TLS code.
   */
  static final Duration WARM_UP = Duration.ofSeconds(2);

  @TempDir Path dir;

  @Test
  void replacingAModuleFileSwitchesBehaviourWithoutAFailedRequest() throws Exception {
    Path gate = copy(module("magic_authenticator.wasm"), dir.resolve("modules/gate.wasm"));
    Path config =
        Fixture.write(
            dir.resolve("server.yaml"),
            "authentication:\n  modules:\n  - name: gate\n    module: modules/gate.wasm\n");
    try (Fixture.Running s = Fixture.start(config, watching())) {
      Policies first = s.server.store().peek().orElseThrow();
      Function<JsonNode, String> user =
          r -> r.path("status").path("user").path("username").asText("(none)");
      try (Loop loop =
          new Loop(s, WebhookServer.AUTHENTICATE, TOKEN_REVIEW, user, "magic-user", "exit0-user")) {
        Thread.sleep(WARM_UP.toMillis());
        long start = System.nanoTime();
        CompletableFuture<Long> swapped = swapped(s, start);
        replace(module("hostile/exit0.wasm"), gate);
        awaitAnswer(s, WebhookServer.AUTHENTICATE, TOKEN_REVIEW, user, "exit0-user");
        Duration switched = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
            "module file replaced: new configuration serving after %d ms, answers switched"
                + " after %d ms%n",
            swapped.get(), switched.toMillis());
        assertThat(switched).isLessThan(Duration.ofSeconds(2));
        Thread.sleep(500);
        loop.stopAndCheck();
      }
      assertThat(s.server.generation()).isEqualTo(2);
      assertThat(s.metric("k8swasm_reloads_total")).isEqualTo(1);
      assertThat(s.metric("k8swasm_reloads_failed_total")).isZero();
      awaitTrue(first::closed, "the replaced modules are closed once drained");
    }
  }

  @Test
  void changingTheConfigSwitchesFromAnAllowingToADenyingModule() throws Exception {
    Path config = dir.resolve("server.yaml");
    writeAtomically(config, authorization(module("magic_authorizer.wasm")));
    try (Fixture.Running s = Fixture.start(config, watching())) {
      Function<JsonNode, String> decision = HotReloadTest::decision;
      try (Loop loop = new Loop(s, WebhookServer.AUTHORIZE, SAR, decision, "allow", "deny")) {
        Thread.sleep(WARM_UP.toMillis());
        long start = System.nanoTime();
        CompletableFuture<Long> swapped = swapped(s, start);
        writeAtomically(config, authorization(module("hostile/error_set.wasm")));
        awaitAnswer(s, WebhookServer.AUTHORIZE, SAR, decision, "deny");
        Duration switched = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf(
            "configuration changed: new configuration serving after %d ms, answers switched"
                + " after %d ms%n",
            swapped.get(), switched.toMillis());
        assertThat(switched).isLessThan(Duration.ofSeconds(2));
        Thread.sleep(500);
        loop.stopAndCheck();
      }
      JsonNode denied = s.review(WebhookServer.AUTHORIZE, SAR);
      assertThat(denied.path("status").path("evaluationError").asText())
          .contains("module refused: bad day");
    }
  }

  @Test
  void aBrokenConfigurationKeepsTheCurrentOneServing() throws Exception {
    Path config = dir.resolve("server.yaml");
    writeAtomically(config, authorization(module("magic_authorizer.wasm")));
    Path broken = copy(module("magic_authorizer.wasm"), dir.resolve("modules/broken.wasm"));
    try (Fixture.Running s = Fixture.start(config, watching())) {
      // not YAML at all
      writeAtomically(config, "authorization: [modules\n");
      awaitTrue(() -> s.metric("k8swasm_reloads_failed_total") == 1, "the reload is rejected");
      assertThat(decision(s.review(WebhookServer.AUTHORIZE, SAR))).isEqualTo("allow");
      assertThat(s.get(WebhookServer.READYZ).statusCode()).isEqualTo(200);
      assertThat(s.metric("k8swasm_config_last_reload_successful")).isZero();

      // valid YAML, but the module file is not WebAssembly
      writeAtomically(config, authorization(broken));
      replace(module("hostile/not_wasm.wasm"), broken);
      awaitTrue(() -> s.metric("k8swasm_reloads_failed_total") >= 2, "the reload is rejected");
      assertThat(decision(s.review(WebhookServer.AUTHORIZE, SAR))).isEqualTo("allow");
      assertThat(s.server.generation()).isEqualTo(1);

      // fixing the module file is noticed, as it is part of the configuration now
      replace(module("hostile/error_set.wasm"), broken);
      awaitTrue(() -> s.server.generation() == 2, "the fixed configuration is loaded");
      assertThat(decision(s.review(WebhookServer.AUTHORIZE, SAR))).isEqualTo("deny");
      assertThat(s.metric("k8swasm_config_last_reload_successful")).isEqualTo(1);
    }
  }

  @Test
  void anUnchangedContentDoesNotReload() throws Exception {
    Path config = dir.resolve("server.yaml");
    String text = authorization(module("magic_authorizer.wasm"));
    writeAtomically(config, text);
    try (Fixture.Running s = Fixture.start(config, watching())) {
      writeAtomically(config, text);
      Files.setLastModifiedTime(config, java.nio.file.attribute.FileTime.fromMillis(0));
      Thread.sleep(1500);
      assertThat(s.metric("k8swasm_reloads_total")).isZero();
      assertThat(s.server.generation()).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------------------------------

  static Fixture.Flags watching() {
    Fixture.Flags f = new Fixture.Flags();
    f.watch = true;
    f.reloadInterval = Duration.ofMillis(500);
    return f;
  }

  static String authorization(Path module) {
    return "authorization:\n  modules:\n"
        + Fixture.moduleEntry("gate", module, "failurePolicy: Deny");
  }

  static String decision(JsonNode sar) {
    JsonNode status = sar.path("status");
    return status.path("denied").asBoolean(false)
        ? "deny"
        : status.path("allowed").asBoolean(false) ? "allow" : "no-opinion";
  }

  static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    return Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Replaces {@code target} the way deployment tools do: write beside it, then rename. */
  static void replace(Path source, Path target) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Completes with the milliseconds from {@code start} until generation 2 serves. */
  static CompletableFuture<Long> swapped(Fixture.Running s, long start) {
    return CompletableFuture.supplyAsync(
        () -> {
          while (s.server.generation() < 2
              && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
          return Duration.ofNanos(System.nanoTime() - start).toMillis();
        });
  }

  static Duration awaitAnswer(
      Fixture.Running s, String path, String body, Function<JsonNode, String> read, String expected)
      throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
      if (expected.equals(read.apply(s.review(path, body)))) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the answer did not become " + expected + " within 10 s");
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitTrue(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Two client threads sending {@code body} in a loop until stopped (at most 20 s). Every answer
   * must be 200 with {@code before} or {@code after}; once a thread saw {@code after} it must never
   * see {@code before} again.
   */
  static final class Loop implements AutoCloseable {
    final List<Thread> threads = new ArrayList<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong afterSeen = new AtomicLong();

    Loop(
        Fixture.Running s,
        String path,
        String body,
        Function<JsonNode, String> read,
        String before,
        String after) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      for (int t = 0; t < 2; t++) {
        Thread thread =
            new Thread(
                () -> {
                  boolean switched = false;
                  while (!stop.get() && System.nanoTime() < deadline) {
                    try {
                      HttpResponse<String> r = s.post(path, body);
                      requests.incrementAndGet();
                      if (r.statusCode() != 200) {
                        failures.add("status " + r.statusCode() + ": " + r.body());
                        continue;
                      }
                      String answer = read.apply(Fixture.json(r));
                      if (answer.equals(after)) {
                        switched = true;
                        afterSeen.incrementAndGet();
                      } else if (!answer.equals(before) || switched) {
                        failures.add(
                            "unexpected answer " + answer + " (switched=" + switched + ")");
                      }
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                },
                "client-" + t);
        threads.add(thread);
        thread.start();
      }
    }

    void stopAndCheck() throws InterruptedException {
      close();
      System.out.printf("client loop: %d requests, %d failed%n", requests.get(), failures.size());
      assertThat(failures).isEmpty();
      assertThat(afterSeen.get()).isPositive();
      assertThat(requests.get()).isGreaterThan(afterSeen.get());
    }

    @Override
    public void close() {
      stop.set(true);
      try {
        for (Thread t : threads) {
          t.join(30_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
