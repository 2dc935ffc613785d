package dev.k8swasm.server;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a set of files and calls back when they may have changed. Two sources: a {@link
 * WatchService} on the files' folders (fast where the platform supports it; any event in a folder
 * counts, which also catches Kubernetes' ConfigMap volume updates that swap a {@code ..data}
 * symlink), and a periodic check of size, modification time and file identity as a fallback. The
 * callback compares contents ({@link #digest}), so a spurious event costs one digest. Events
 * arriving within the debounce time of each other are handled once, so a file being written is read
 * when the writer has paused.
 */
final class FileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

  private final String name;
  private final Supplier<Set<Path>> files;
  private final Runnable check;
  private final Duration interval;
  private final Duration debounce;
  private final Thread thread;
  private final WatchService watchService;
  private final Map<Path, WatchKey> watched = new HashMap<>();
  private volatile boolean running = true;
  private Map<Path, Object> stamps;

  /**
   * Starts watching.
   *
   * @param name names the watcher's thread and log lines
   * @param files the files to watch, asked again after every change (they may change too)
   * @param check called on the watcher's thread when a file may have changed; it decides (e.g. with
   *     {@link #digest}) whether anything did
   * @param interval how often to check without events
   * @param debounce how long to wait for more events before looking
   */
  FileWatcher(
      String name,
      Supplier<Set<Path>> files,
      Runnable check,
      Duration interval,
      Duration debounce) {
    this.name = name;
    this.files = files;
    this.check = check;
    this.interval = interval;
    this.debounce = debounce;
    WatchService ws;
    try {
      ws = java.nio.file.FileSystems.getDefault().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      LOG.warn("{}: file events unavailable ({}); checking every {}", name, e, interval);
      ws = null;
    }
    this.watchService = ws;
    Set<Path> initial = files.get();
    this.stamps = stamps(initial);
    register(initial);
    this.thread = new Thread(this::run, "k8s-wasm-watch-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        boolean event = awaitEvent();
        if (!running) {
          return;
        }
        Map<Path, Object> now = stamps(files.get());
        if (event || !now.equals(stamps)) {
          // stamps taken before looking: a change made while the callback runs shows up next time
          stamps = now;
          check.run();
          register(files.get());
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (Throwable e) {
        // whatever happens (even an Error such as OutOfMemoryError), keep watching: a watcher that
        // died would leave the server serving an old configuration for good
        LOG.error(
            "{}: checking files failed; still watching: {}", name, LogText.escape(e.toString()));
      }
    }
  }

  /** Whether the watcher's thread is running. */
  boolean alive() {
    return running && thread.isAlive();
  }

  /** Waits up to the interval; true when a file event arrived (then also waits out the burst). */
  private boolean awaitEvent() throws InterruptedException {
    if (watchService == null) {
      Thread.sleep(interval.toMillis());
      return false;
    }
    WatchKey key = watchService.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
    if (key == null) {
      return false;
    }
    drain(key);
    // wait until the writer pauses, but not forever when a watched folder is always busy
    long until = System.nanoTime() + 4 * debounce.toNanos();
    while (System.nanoTime() < until
        && (key = watchService.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      drain(key);
    }
    return true;
  }

  private static void drain(WatchKey key) {
    key.pollEvents()
        .forEach(
            e -> {
              if (e.kind() == OVERFLOW) {
                LOG.debug("file events overflowed");
              }
            });
    key.reset();
  }

  private synchronized void register(Set<Path> current) {
    if (watchService == null) {
      return;
    }
    Set<Path> dirs = new TreeSet<>();
    for (Path f : current) {
      Path dir = f.toAbsolutePath().getParent();
      if (dir != null) {
        dirs.add(dir);
      }
    }
    watched
        .entrySet()
        .removeIf(
            e -> {
              if (!dirs.contains(e.getKey())) {
                e.getValue().cancel();
                return true;
              }
              return false;
            });
    for (Path dir : dirs) {
      WatchKey existing = watched.get(dir);
      if (existing != null && existing.isValid()) {
        continue;
      }
      try {
        watched.put(dir, dir.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE));
      } catch (IOException | RuntimeException e) {
        LOG.debug("{}: cannot watch {}: {} (checked every {})", name, dir, e, interval);
      }
    }
  }

  /** Size, modification time and identity of each file (null when missing). */
  private static Map<Path, Object> stamps(Set<Path> files) {
    Map<Path, Object> out = new HashMap<>();
    for (Path f : files) {
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        out.put(
            f,
            java.util.List.of(
                a.size(), a.lastModifiedTime().toMillis(), Objects.toString(a.fileKey())));
      } catch (IOException e) {
        out.put(f, "missing");
      }
    }
    return out;
  }

  /** The SHA-256 over the files' names and contents (missing files count as such). */
  static String digest(Set<Path> files) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[64 * 1024];
    for (Path f : new TreeSet<>(files)) {
      md.update(f.toString().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      try (InputStream in = Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          md.update(buffer, 0, n);
        }
        md.update((byte) 1);
      } catch (IOException e) {
        md.update((byte) 2);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        // closing
      }
    }
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
