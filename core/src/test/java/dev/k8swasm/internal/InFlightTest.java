package dev.k8swasm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InFlight}: concurrent callers of an equal key share one computation. */
public class InFlightTest {
  final ExecutorService pool = Executors.newCachedThreadPool();
  final InFlight<String, String> inFlight = new InFlight<>();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /**
   * Waits until the thread {@code caller} will hold waits for another caller's computation in
   * {@link InFlight#compute} (bounded, to avoid a hang if it never does).
   */
  public static void awaitWaiting(AtomicReference<Thread> caller) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!waitingInFlight(caller.get())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second caller never waited for the first");
      }
      Thread.sleep(5);
    }
  }

  private static boolean waitingInFlight(Thread thread) {
    if (thread == null || thread.getState() != Thread.State.WAITING) {
      return false;
    }
    boolean joining = false;
    for (StackTraceElement frame : thread.getStackTrace()) {
      if (frame.getClassName().equals("java.util.concurrent.CompletableFuture")) {
        joining = true;
      }
      if (joining && frame.getClassName().equals(InFlight.class.getName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aSecondCallerOfTheSameKeyWaitsForTheFirstsValue() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger computations = new AtomicInteger();
    Future<InFlight.Result<String>> first =
        pool.submit(
            () ->
                inFlight.compute(
                    "k",
                    () -> {
                      computations.incrementAndGet();
                      entered.countDown();
                      await(release);
                      return "v";
                    }));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    AtomicReference<Thread> second = new AtomicReference<>();
    Future<InFlight.Result<String>> shared =
        pool.submit(
            () -> {
              second.set(Thread.currentThread());
              return inFlight.compute(
                  "k",
                  () -> {
                    computations.incrementAndGet();
                    return "other";
                  });
            });
    awaitWaiting(second);
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new InFlight.Result<>("v", false));
    assertThat(shared.get(30, TimeUnit.SECONDS)).isEqualTo(new InFlight.Result<>("v", true));
    assertThat(computations).hasValue(1);
    // over: the next call computes again
    assertThat(inFlight.compute("k", () -> "again"))
        .isEqualTo(new InFlight.Result<>("again", false));
  }

  @Test
  void differentKeysAreComputedAtTheSameTime() throws Exception {
    CountDownLatch both = new CountDownLatch(2);
    Future<InFlight.Result<String>> a =
        pool.submit(() -> inFlight.compute("a", () -> meet(both, "va")));
    Future<InFlight.Result<String>> b =
        pool.submit(() -> inFlight.compute("b", () -> meet(both, "vb")));
    // each computation waits for the other to have started: they run concurrently
    assertThat(a.get(30, TimeUnit.SECONDS).value()).isEqualTo("va");
    assertThat(b.get(30, TimeUnit.SECONDS).value()).isEqualTo("vb");
  }

  @Test
  void anExceptionReachesTheWaitingCallersAndIsNotKept() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<InFlight.Result<String>> first =
        pool.submit(
            () ->
                inFlight.compute(
                    "k",
                    () -> {
                      entered.countDown();
                      await(release);
                      throw new IllegalStateException("boom");
                    }));
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    AtomicReference<Thread> second = new AtomicReference<>();
    Future<InFlight.Result<String>> waiting =
        pool.submit(
            () -> {
              second.set(Thread.currentThread());
              return inFlight.compute("k", () -> "unused");
            });
    awaitWaiting(second);
    release.countDown();

    assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("boom");
    assertThat(inFlight.compute("k", () -> "fine").value()).isEqualTo("fine");
  }

  @Test
  void aThreadAskingAgainForTheKeyItComputesDoesNotWaitForItself() throws Exception {
    Future<InFlight.Result<String>> outer =
        pool.submit(
            () ->
                inFlight.compute(
                    "k", () -> "outer+" + inFlight.compute("k", () -> "inner").value()));
    assertThat(outer.get(30, TimeUnit.SECONDS).value()).isEqualTo("outer+inner");
  }

  private static String meet(CountDownLatch both, String value) {
    both.countDown();
    await(both);
    return value;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
