package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.util.function.ToLongFunction;

/**
 * The WASI preview 1 host of one instance: no arguments, environment or directories; stdio, clock
 * and randomness from the evaluation. Two things differ from Chicory's: {@code fd_read} is guarded
 * against buffers outside the guest's memory, and the functions Chicory does not implement
 * (sockets, {@code proc_raise}) return an error code instead of trapping, as the module
 * specification promises, and the monotonic clock reads the evaluation's clock (Chicory reads
 * {@link System#nanoTime()}), so an injected clock governs every clock a guest can see.
 */
final class WasiHost {
  private static final long EBADF = 8;
  private static final long EFAULT = 21;
  private static final long ENOSYS = 52;
  private static final long ENOTSOCK = 57;
  private static final int CLOCK_MONOTONIC = 1;

  private WasiHost() {}

  /** The host functions of {@code wasi}, with the changes described above. */
  static HostFunction[] functions(WasiPreview1 wasi, MonotonicClock monotonic) {
    HostFunction[] functions = wasi.toHostFunctions();
    for (int i = 0; i < functions.length; i++) {
      HostFunction function = functions[i];
      functions[i] =
          switch (function.name()) {
            case "fd_read" -> guardedRead(function);
            case "sock_accept", "sock_recv", "sock_send" ->
                returning(function, args -> args[0] >= 0 && args[0] <= 2 ? ENOTSOCK : EBADF);
            case "proc_raise" -> returning(function, args -> ENOSYS);
            case "clock_time_get" -> monotonicFromClock(function, monotonic);
            default -> function;
          };
    }
    return functions;
  }

  /**
   * {@code clock_time_get} answering the monotonic clock (id 1) from {@code monotonic}; the other
   * clocks as Chicory does (realtime from the same injected clock, CPU-time clocks ENOTSUP).
   */
  private static HostFunction monotonicFromClock(
      HostFunction clockTimeGet, MonotonicClock monotonic) {
    return new HostFunction(
        clockTimeGet.module(),
        clockTimeGet.name(),
        clockTimeGet.functionType(),
        (instance, args) -> {
          if ((int) args[0] != CLOCK_MONOTONIC) {
            return clockTimeGet.handle().apply(instance, args);
          }
          instance.memory().writeLong((int) args[2], monotonic.nanos());
          return new long[] {0};
        });
  }

  /** {@code function} replaced by one that only returns the error code {@code errno} computes. */
  private static HostFunction returning(HostFunction function, ToLongFunction<long[]> errno) {
    return new HostFunction(
        function.module(),
        function.name(),
        function.functionType(),
        (instance, args) -> new long[] {errno.applyAsLong(args)});
  }

  /**
   * Chicory 1.7.5's {@code fd_read} allocates a Java array of each buffer's declared length before
   * checking it against the guest's memory, so a guest asking to read 2 GiB would make the host
   * allocate 2 GiB. This answers {@code EFAULT} for buffers outside the memory instead.
   */
  private static HostFunction guardedRead(HostFunction fdRead) {
    return new HostFunction(
        fdRead.module(),
        fdRead.name(),
        fdRead.functionType(),
        (instance, args) -> {
          Memory memory = instance.memory();
          long size = (long) memory.pages() * Memory.PAGE_SIZE;
          long iovs = Integer.toUnsignedLong((int) args[1]);
          long count = Integer.toUnsignedLong((int) args[2]);
          for (long i = 0; i < count && iovs + 8 * i + 8 <= size; i++) {
            int entry = (int) (iovs + 8 * i);
            long buffer = Integer.toUnsignedLong(memory.readInt(entry));
            long length = Integer.toUnsignedLong(memory.readInt(entry + 4));
            if (buffer + length > size) {
              return new long[] {EFAULT};
            }
          }
          return fdRead.handle().apply(instance, args);
        });
  }
}
