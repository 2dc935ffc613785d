package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The WASI preview 1 host of one instance, which outlives evaluations. The instance imports
 * functions that forward to the current {@link WasiPreview1}; the streams, clock and randomness it
 * was built with are the instance's, whose content changes per phase. WASI keeps one more piece of
 * state, its descriptor table: a guest that calls anything that could change it (closing or
 * renumbering a descriptor, for example) gets a new {@code WasiPreview1} before the next
 * evaluation, so no evaluation sees what an earlier one did to its descriptors.
 *
 * <p>{@code fd_read} on stdin and {@code fd_write} on stdout and stderr, the calls every evaluation
 * makes, are served directly between the guest's memory and the instance's {@link GuestInput} and
 * {@link BoundedOutput}s, without the intermediate arrays and trace logging of Chicory's
 * implementation, as long as the guest has not changed its descriptors.
 */
final class WasiBinding implements AutoCloseable {
  /** The functions that cannot change WASI's own state (the guest's memory is restored anyway). */
  private static final Set<String> STATELESS =
      Set.of(
          "args_get",
          "args_sizes_get",
          "environ_get",
          "environ_sizes_get",
          "clock_res_get",
          "clock_time_get",
          "fd_write",
          "fd_read",
          "fd_pread",
          "fd_pwrite",
          "fd_fdstat_get",
          "fd_filestat_get",
          "fd_prestat_get",
          "fd_prestat_dir_name",
          "proc_exit",
          "proc_raise",
          "random_get",
          "sched_yield",
          "poll_oneoff",
          "sock_accept",
          "sock_recv",
          "sock_send");

  private static final int ESUCCESS = 0;
  private static final int EFAULT = 21;
  private static final long[] SUCCESS = {ESUCCESS};
  private static final long[] FAULT = {EFAULT};

  private final GuestInput stdin;
  private final BoundedOutput stdout;
  private final BoundedOutput stderr;
  private final byte[] scratch = new byte[4096];
  private final Clock clock;
  private final MonotonicClock monotonic;
  private final Random random;
  private final List<String> arguments;
  private final HostFunction[] imports;
  private HostFunction[] current;
  private int readIndex = -1;
  private int writeIndex = -1;
  private WasiPreview1 wasi;
  private boolean stale;

  WasiBinding(
      GuestInput stdin,
      BoundedOutput stdout,
      BoundedOutput stderr,
      Clock clock,
      Random random,
      List<String> arguments) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.clock = clock;
    this.monotonic = new MonotonicClock(clock);
    this.random = random;
    this.arguments = arguments;
    open();
    this.imports = new HostFunction[current.length];
    for (int i = 0; i < current.length; i++) {
      HostFunction function = current[i];
      int index = i;
      boolean stateless = STATELESS.contains(function.name());
      String name = function.name();
      imports[i] =
          new HostFunction(
              function.module(),
              name,
              function.functionType(),
              name.equals("fd_read")
                  ? (instance, args) ->
                      stale ? delegate(index, instance, args) : read(instance, args)
                  : name.equals("fd_write")
                      ? (instance, args) ->
                          stale ? delegate(index, instance, args) : write(instance, args)
                      : (instance, args) -> {
                        if (!stateless) {
                          stale = true;
                        }
                        return delegate(index, instance, args);
                      });
    }
  }

  private long[] delegate(int index, Instance instance, long[] args) {
    return current[index].handle().apply(instance, args);
  }

  /** {@code fd_read}: stdin from the {@link GuestInput}; other descriptors as Chicory does. */
  private long[] read(Instance instance, long[] args) {
    int fd = (int) args[0];
    if (fd != 0) {
      return delegate(readIndex, instance, args);
    }
    Memory memory = instance.memory();
    long size = (long) memory.pages() * Memory.PAGE_SIZE;
    int iovs = (int) args[1];
    int count = (int) args[2];
    int total = 0;
    for (int i = 0; i < count; i++) {
      long entry = Integer.toUnsignedLong(iovs) + 8L * i;
      if (entry + 8 > size) {
        return FAULT;
      }
      long buffer = Integer.toUnsignedLong(memory.readInt((int) entry));
      long length = Integer.toUnsignedLong(memory.readInt((int) entry + 4));
      if (buffer + length > size) {
        return FAULT;
      }
      int n = stdin.readInto(memory, (int) buffer, (int) length);
      total += n;
      if (n < length) {
        break;
      }
    }
    memory.writeI32((int) args[3], total);
    return SUCCESS;
  }

  /** {@code fd_write}: stdout and stderr into their {@link BoundedOutput}s; others as Chicory. */
  private long[] write(Instance instance, long[] args) {
    int fd = (int) args[0];
    BoundedOutput out = fd == 1 ? stdout : fd == 2 ? stderr : null;
    if (out == null) {
      return delegate(writeIndex, instance, args);
    }
    Memory memory = instance.memory();
    int iovs = (int) args[1];
    int count = (int) args[2];
    int total = 0;
    for (int i = 0; i < count; i++) {
      int entry = iovs + 8 * i;
      int buffer = memory.readInt(entry);
      int length = memory.readInt(entry + 4);
      if (length < 0
          || Integer.toUnsignedLong(buffer) + length > (long) memory.pages() * Memory.PAGE_SIZE) {
        // as Chicory: an access outside the memory traps
        memory.readBytes(buffer, length);
      }
      for (int done = 0; done < length; ) {
        int chunk = Math.min(scratch.length, length - done);
        copyOut(memory, buffer + done, chunk);
        out.write(scratch, 0, chunk);
        done += chunk;
      }
      total += length;
    }
    memory.writeI32((int) args[3], total);
    return SUCCESS;
  }

  private void copyOut(Memory memory, int address, int length) {
    if (memory instanceof TrackedMemory) {
      ((TrackedMemory) memory).read(address, scratch, 0, length);
    } else {
      System.arraycopy(memory.readBytes(address, length), 0, scratch, 0, length);
    }
  }

  private void open() {
    WasiOptions options =
        WasiOptions.builder()
            .withStdin(stdin.stream(), false)
            .withStdout(stdout, false)
            .withStderr(stderr, false)
            .withClock(clock)
            .withRandom(random)
            .withArguments(arguments)
            .withThrowOnExit0(true) // proc_exit(0) throws too; the sandbox treats it as success
            .build();
    wasi = WasiPreview1.builder().withOptions(options).build();
    current = WasiHost.functions(wasi, monotonic);
    for (int i = 0; i < current.length; i++) {
      if (current[i].name().equals("fd_read")) {
        readIndex = i;
      } else if (current[i].name().equals("fd_write")) {
        writeIndex = i;
      }
    }
  }

  /** The functions the instance imports; they forward to the current WASI host. */
  HostFunction[] imports() {
    return imports;
  }

  /**
   * Called before an evaluation: replaces the WASI host if the previous phase may have changed its
   * descriptors.
   */
  void refresh() {
    if (stale) {
      wasi.close();
      open();
      stale = false;
    }
  }

  @Override
  public void close() {
    wasi.close();
  }
}
