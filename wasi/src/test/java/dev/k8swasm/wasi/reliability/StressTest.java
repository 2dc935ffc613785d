package dev.k8swasm.wasi.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.json.Json;
import dev.k8swasm.module.Engine;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.InstanceStrategy;
import dev.k8swasm.module.Limits;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 3, "must hold": 8 threads x 10,000 mixed evaluations give zero wrong results, zero leaked
 * state, and a stable heap.
 *
 * <p>Each thread runs 10,000 evaluations drawn from a mix: the magic modules on the compiler
 * (directly and through ModuleAuthenticator, ModuleAuthorizer and an AdmissionChain), the stateful
 * module (which reports any state left by an earlier call), a share on the interpreter, and now and
 * then a trap, an output flood, a memory bomb or an endless loop with a 5 ms deadline. Every answer
 * is checked against its own request (unique uids and users), the interrupt flag is checked after
 * every evaluation, and the heap after GC is compared before and after.
 */
class StressTest {
  static final int THREADS = 8;
  static final int PER_THREAD = 10_000;
  static final long HEAP_GROWTH_LIMIT = 64L << 20;
  private static final String TABLE = "Stress: 8 threads x 10,000 mixed evaluations";
  private static final Duration TINY_DEADLINE = Duration.ofMillis(5);

  static {
    ReliabilityReport.columns(TABLE, "case", "engine", "outcome");
  }

  private static final List<PolicyModule> OWNED = new ArrayList<>();
  private static PolicyModule authnCompiled;
  private static PolicyModule authnInterpreted;
  private static PolicyModule authzCompiled;
  private static PolicyModule validatorCompiled;
  private static PolicyModule statefulCompiled;
  private static PolicyModule statefulFresh;
  private static PolicyModule statefulInterpreted;
  private static PolicyModule trapCompiled;
  private static PolicyModule loopTinyDeadline;
  private static PolicyModule loopTinyDeadlineInterpreted;
  private static PolicyModule floodCompiled;
  private static PolicyModule bombCompiled;
  private static ModuleAuthenticator authenticator;
  private static ModuleAuthorizer authorizer;
  private static AdmissionChain admission;

  private final AtomicLong wrong = new AtomicLong();
  private final AtomicLong cpuNanos = new AtomicLong();
  private final List<String> wrongExamples = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void load() {
    authnCompiled = own("magic_authenticator", Engine.COMPILER, Guests.RELAXED, true);
    authnInterpreted = own("magic_authenticator", Engine.INTERPRETER, Guests.RELAXED, true);
    authzCompiled = own("magic_authorizer", Engine.COMPILER, Guests.RELAXED, true);
    validatorCompiled = own("magic_validator", Engine.COMPILER, Guests.RELAXED, true);
    PolicyModule mutator = own("magic_mutator", Engine.COMPILER, Guests.RELAXED, true);
    statefulCompiled = own("stateful", Engine.COMPILER, Guests.RELAXED, false);
    statefulFresh =
        ModuleRuntimes.load(
            Guests.spec(Guests.hostile("stateful"), Engine.COMPILER, Guests.RELAXED)
                .strategy(InstanceStrategy.FRESH)
                .build());
    OWNED.add(statefulFresh);
    statefulInterpreted = own("stateful", Engine.INTERPRETER, Guests.RELAXED, false);
    trapCompiled = own("trap", Engine.COMPILER, Guests.RELAXED, false);
    Limits tiny = Limits.builder().timeout(TINY_DEADLINE).build();
    loopTinyDeadline = own("loop_br_if", Engine.COMPILER, tiny, false);
    loopTinyDeadlineInterpreted = own("loop_br_if", Engine.INTERPRETER, tiny, false);
    floodCompiled = own("stdout_flood", Engine.COMPILER, Guests.RELAXED, false);
    bombCompiled =
        own(
            "memory_bomb",
            Engine.COMPILER,
            Guests.RELAXED.toBuilder().maxMemoryBytes(2L << 20).build(),
            false);
    authenticator = ModuleAuthenticator.of(authnCompiled);
    authorizer = ModuleAuthorizer.of(authzCompiled);
    admission =
        AdmissionChain.builder()
            .add(
                AdmissionHook.builder("mutator", ModuleAdmissionController.mutating(mutator))
                    .rules(RuleWithOperations.ALL)
                    .build())
            .add(
                AdmissionHook.builder(
                        "validator", ModuleAdmissionController.validating(validatorCompiled))
                    .rules(RuleWithOperations.ALL)
                    .build())
            .build();
  }

  private static PolicyModule own(String name, Engine engine, Limits limits, boolean example) {
    PolicyModule m =
        Guests.load(example ? Guests.example(name) : Guests.hostile(name), engine, limits);
    OWNED.add(m);
    return m;
  }

  @AfterAll
  static void close() {
    OWNED.forEach(PolicyModule::close);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES) // hang guard only
  void eightThreadsTenThousandMixedEvaluationsEach() throws Exception {
    // warm up every case (load, JIT) outside the measured part
    SplittableRandom warm = new SplittableRandom(99);
    for (int i = 0; i < 1_000; i++) {
      evaluate(warm.nextInt(1000), i, -1, false);
    }
    assertThat(wrong.get()).as("wrong results during warm-up: %s", wrongExamples).isZero();
    long heapBefore = usedHeapAfterGc();
    int threadsBefore = Thread.activeCount();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    long startNanos;
    long evaluations;
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(thread);
                  start.await();
                  long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                  for (int i = 0; i < PER_THREAD; i++) {
                    evaluate(random.nextInt(1000), i, thread, true);
                  }
                  cpuNanos.addAndGet(
                      ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu);
                  return PER_THREAD;
                }));
      }
      startNanos = System.nanoTime();
      start.countDown();
      evaluations = 0;
      for (Future<Integer> f : done) {
        evaluations += f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - startNanos);
    long heapAfter = usedHeapAfterGc();
    int threadsAfter = Thread.activeCount();

    ReliabilityReport.note(
        String.format(
            Locale.ROOT,
            "Stress: %d evaluations on %d threads in %.1f s wall clock (%.0f per second; the"
                + " evaluating threads used %.1f s of CPU, %.0f us per evaluation), %d wrong"
                + " results; heap used after GC %d MiB before, %d MiB after (limit: +%d MiB);"
                + " live threads %d before, %d after.",
            evaluations,
            THREADS,
            wall.toMillis() / 1000.0,
            evaluations / Math.max(0.001, wall.toMillis() / 1000.0),
            cpuNanos.get() / 1e9,
            cpuNanos.get() / 1e3 / evaluations,
            wrong.get(),
            heapBefore >> 20,
            heapAfter >> 20,
            HEAP_GROWTH_LIMIT >> 20,
            threadsBefore,
            threadsAfter));
    assertThat(evaluations).isEqualTo((long) THREADS * PER_THREAD);
    assertThat(wrong.get()).as("wrong results, e.g. %s", wrongExamples).isZero();
    assertThat(heapAfter - heapBefore)
        .as("heap growth after GC (before %d, after %d)", heapBefore, heapAfter)
        .isLessThan(HEAP_GROWTH_LIMIT);
    assertThat(threadsAfter).as("no threads left behind").isLessThanOrEqualTo(threadsBefore);
  }

  /**
   * One evaluation chosen by {@code dice} (0-999), checked against its request; {@code i} and
   * {@code thread} make the request unique.
   */
  private void evaluate(int dice, int i, int thread, boolean count) {
    String id = "t" + thread + "-" + i;
    String label;
    Engine engine = Engine.COMPILER;
    String outcome;
    try {
      if (dice < 4) {
        label = "endless loop, 5 ms deadline";
        engine = dice < 2 ? Engine.COMPILER : Engine.INTERPRETER;
        outcome =
            expectFailure(
                engine == Engine.COMPILER ? loopTinyDeadline : loopTinyDeadlineInterpreted,
                ReviewKind.AUTHORIZATION,
                Guests.subjectAccessReview(id, "g", "pods"),
                FailureReason.TIMEOUT);
      } else if (dice < 6) {
        label = "stdout flood";
        outcome =
            expectFailure(
                floodCompiled,
                ReviewKind.AUTHENTICATION,
                Guests.tokenReview(id),
                FailureReason.OUTPUT_LIMIT);
      } else if (dice < 8) {
        label = "memory bomb (2 MiB)";
        outcome =
            expectFailure(
                bombCompiled,
                ReviewKind.ADMISSION,
                Guests.admissionReview(id, "{}"),
                FailureReason.MEMORY_LIMIT);
      } else if (dice < 20) {
        label = "trap";
        outcome =
            expectFailure(
                trapCompiled,
                ReviewKind.ADMISSION,
                Guests.admissionReview(id, "{}"),
                FailureReason.TRAP);
      } else if (dice < 50) {
        label = "magic_authenticator";
        engine = Engine.INTERPRETER;
        outcome = authnDirect(authnInterpreted, id, dice % 2 == 0);
      } else if (dice < 80) {
        label = "stateful";
        engine = Engine.INTERPRETER;
        outcome = stateful(statefulInterpreted, id, dice % 3);
      } else if (dice < 250) {
        // the default instance strategy, and FRESH for every other one
        boolean fresh = dice % 2 == 1;
        label = fresh ? "stateful (FRESH instances)" : "stateful";
        outcome = stateful(fresh ? statefulFresh : statefulCompiled, id, dice % 3);
      } else if (dice < 450) {
        label = "magic_authenticator";
        outcome = authnDirect(authnCompiled, id, dice % 2 == 0);
      } else if (dice < 550) {
        label = "ModuleAuthenticator(magic)";
        outcome = authnTyped(id, dice % 2 == 0);
      } else if (dice < 700) {
        label = "ModuleAuthorizer(magic)";
        outcome = authz(id, dice % 2 == 0);
      } else if (dice < 900) {
        label = "magic_validator";
        outcome = validate(id, dice % 2 == 0);
      } else {
        label = "AdmissionChain(mutator, validator)";
        outcome = chain(id, dice % 2 == 0);
      }
    } catch (AssertionError | RuntimeException e) {
      label = "dice " + dice;
      outcome = "WRONG";
      wrong(id + ": " + e);
    }
    if (Thread.currentThread().isInterrupted()) {
      Thread.interrupted();
      wrong(id + ": the interrupt flag was left set");
    }
    if (count) {
      ReliabilityReport.count(TABLE, label, ReliabilityReport.name(engine), outcome);
    }
  }

  private void wrong(String what) {
    wrong.incrementAndGet();
    if (wrongExamples.size() < 10) {
      wrongExamples.add(what);
    }
  }

  private static String expectFailure(
      PolicyModule module, ReviewKind kind, byte[] request, FailureReason... reasons) {
    try {
      JsonNode answer = module.evaluate(kind, request);
      throw new AssertionError(module.name() + " answered " + answer);
    } catch (ModuleException e) {
      assertThat(e.reason()).as(e.getMessage()).isIn((Object[]) reasons);
      assertThat(e.moduleName()).isEqualTo(module.name());
      return e.reason().name();
    }
  }

  private static String authnDirect(PolicyModule module, String id, boolean magic) {
    JsonNode status =
        module
            .evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview(magic ? "magic-token" : id))
            .path("status");
    assertThat(status.path("authenticated").asBoolean()).isEqualTo(magic);
    if (magic) {
      assertThat(status.path("user").path("username").asText()).isEqualTo("magic-user");
    }
    return magic ? "authenticated" : "not authenticated";
  }

  private static String authnTyped(String id, boolean magic) {
    TokenReview review = TokenReview.forToken(magic ? "magic-token" : "token-" + id, List.of());
    AuthenticationResult result = authenticator.authenticate(review);
    assertThat(result.errors()).isEmpty();
    assertThat(result.authenticated()).isEqualTo(magic);
    if (magic) {
      assertThat(result.user().username()).isEqualTo("magic-user");
    }
    return magic ? "authenticated" : "not authenticated";
  }

  /** The stateful module must always see a first call: nothing leaks from other requests. */
  private static String stateful(PolicyModule module, String id, int which) {
    switch (which) {
      case 0 -> {
        JsonNode user =
            module
                .evaluate(ReviewKind.AUTHENTICATION, Guests.tokenReview("secret-" + id))
                .path("status")
                .path("user");
        assertThat(user.path("username").asText()).isEqualTo("previous:none");
        assertThat(user.path("uid").asText()).isEqualTo("1");
      }
      case 1 -> {
        JsonNode status =
            module
                .evaluate(
                    ReviewKind.AUTHORIZATION, Guests.subjectAccessReview("user-" + id, "g", "x"))
                .path("status");
        assertThat(status.path("reason").asText()).isEqualTo("previous:none count:1");
      }
      default -> {
        JsonNode response =
            module
                .evaluate(ReviewKind.ADMISSION, Guests.admissionReview("uid-" + id, "{}"))
                .path("response");
        assertThat(response.path("uid").asText()).isEqualTo("uid-" + id);
        assertThat(response.path("warnings").toString())
            .isEqualTo("[\"previous:none\",\"count:1\"]");
      }
    }
    return "fresh state";
  }

  private static String authz(String id, boolean configmaps) {
    SubjectAccessReview review =
        Json.read(
            Guests.subjectAccessReview(
                "user-" + id, "magic-group", configmaps ? "configmaps" : "pods"),
            SubjectAccessReview.class);
    AuthorizationDecision decision = authorizer.authorize(review);
    assertThat(decision.evaluationError()).isNull();
    assertThat(decision.decision())
        .isEqualTo(
            configmaps
                ? AuthorizationDecision.Decision.ALLOW
                : AuthorizationDecision.Decision.NO_OPINION);
    return decision.decision().name();
  }

  private static String validate(String id, boolean deny) {
    String data = deny ? "{\"not-allowed-value\":\"" + id + "\"}" : "{\"k\":\"" + id + "\"}";
    JsonNode response =
        validatorCompiled
            .evaluate(ReviewKind.ADMISSION, Guests.admissionReview("uid-" + id, data))
            .path("response");
    assertThat(response.path("uid").asText()).isEqualTo("uid-" + id);
    assertThat(response.path("allowed").asBoolean()).isEqualTo(!deny);
    return deny ? "denied" : "allowed";
  }

  private static String chain(String id, boolean deny) {
    String data = deny ? "{\"not-allowed-value\":\"" + id + "\"}" : "{\"k\":\"" + id + "\"}";
    AdmissionReview review =
        Json.read(Guests.admissionReview("uid-" + id, data), AdmissionReview.class);
    AdmissionResponse response = admission.admit(review).response();
    assertThat(response.uid()).isEqualTo("uid-" + id);
    assertThat(response.allowedOrFalse()).isEqualTo(!deny);
    if (!deny) {
      JsonNode patch = Json.readTree(response.patchBytes());
      assertThat(patch.toString())
          .isEqualTo("[{\"op\":\"add\",\"path\":\"/data/magic-value\",\"value\":\"foobar\"}]");
    }
    return deny ? "denied" : "allowed, patched";
  }

  /** Heap in use after a few full collections. */
  static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
