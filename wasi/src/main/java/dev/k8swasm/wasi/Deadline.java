package dev.k8swasm.wasi;

import java.util.concurrent.Future;

/**
 * The deadline of one evaluation, started by {@link DeadlineTimer#start}. The timer interrupts the
 * evaluating thread only while the deadline is running: {@link #finish()} and {@link #fire()}
 * exclude each other, so an interrupt can never reach the thread after it finished, and an
 * interrupt that was delivered is cleared by {@link #finish()}.
 */
final class Deadline {
  private enum State {
    RUNNING,
    FINISHED,
    FIRED
  }

  private final Thread thread;
  private State state = State.RUNNING;
  private Future<?> timer;

  Deadline(Thread thread) {
    this.thread = thread;
  }

  void scheduled(Future<?> timer) {
    this.timer = timer;
  }

  /** Called by the timer: interrupts the thread if it is still running. */
  synchronized void fire() {
    if (state == State.RUNNING) {
      state = State.FIRED;
      thread.interrupt();
    }
  }

  /**
   * Stops the deadline. Must be called by the evaluating thread, whatever the outcome.
   *
   * @return whether the deadline expired; its interrupt has then been cleared from this thread
   */
  boolean finish() {
    boolean fired;
    synchronized (this) {
      fired = state == State.FIRED;
      state = fired ? State.FIRED : State.FINISHED;
    }
    timer.cancel(false);
    if (fired) {
      Thread.interrupted();
    }
    return fired;
  }
}
