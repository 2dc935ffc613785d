package dev.k8swasm.wasi;

import java.time.Clock;
import java.util.Random;

/**
 * What one evaluation's guest sees through WASI: its stdin, where its stdout and stderr go, its
 * clock and its randomness. Arguments, environment and files are always empty.
 *
 * @param stdin the input envelope
 * @param stdout collects the output envelope
 * @param stderr collects diagnostics
 * @param clock the time the guest sees
 * @param random the randomness the guest gets from {@code random_get}
 */
record GuestIo(
    byte[] stdin, BoundedOutput stdout, BoundedOutput stderr, Clock clock, Random random) {

  /** Fresh stdio for one evaluation, with both output streams bounded by {@code maxOutput}. */
  static GuestIo of(byte[] stdin, long maxOutput, Clock clock, Random random) {
    return new GuestIo(
        stdin,
        new BoundedOutput("stdout", maxOutput),
        new BoundedOutput("stderr", maxOutput),
        clock,
        random);
  }
}
