package dev.k8swasm.wasi.sandbox;

/**
 * The deadline of one evaluation, started by {@link DeadlineTimer#start}. The timer interrupts the
 * evaluating thread only while the deadline is running: {@link #finish()} and {@link #fire()}
 * exclude each other, so an interrupt can never reach the thread after it finished, and an
 * interrupt that was delivered is cleared by {@link #finish()}. One object per evaluation, never
 * reused, so a late {@code fire()} cannot reach a later evaluation.
 *
 * <p>Public for the sandbox package ({@code dev.k8swasm.wasi.sandbox}); not for applications.
 */
public final class Deadline {
  private static final int RUNNING = 0;
  private static final int FINISHED = 1;
  private static final int FIRED = 2;

  private final Thread thread;
  private final long due;
  private int state = RUNNING;

  Deadline(Thread thread, long due) {
    this.thread = thread;
    this.due = due;
  }

  /** When the deadline expires, in {@link System#nanoTime()} terms. */
  long due() {
    return due;
  }

  /** Whether it is still running (read by the timer without locking; a hint). */
  boolean running() {
    return state == RUNNING;
  }

  /** Called by the timer: interrupts the thread if it is still running. */
  public synchronized void fire() {
    if (state == RUNNING) {
      state = FIRED;
      thread.interrupt();
    }
  }

  /**
   * Stops the deadline. Must be called by the evaluating thread, whatever the outcome.
   *
   * @return whether the deadline expired; its interrupt has then been cleared from this thread
   */
  public boolean finish() {
    boolean fired;
    synchronized (this) {
      fired = state == FIRED;
      if (!fired) {
        state = FINISHED;
      }
    }
    if (fired) {
      Thread.interrupted();
    }
    return fired;
  }
}
