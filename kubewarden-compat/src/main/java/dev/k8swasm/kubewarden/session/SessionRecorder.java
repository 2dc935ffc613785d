package dev.k8swasm.kubewarden.session;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records every host capability exchange of a policy (what {@code kwctl run
 * --record-host-capabilities-interactions} does). Thread-safe; with a file, the file is rewritten
 * after every exchange, so it is complete whenever the process stops.
 */
public final class SessionRecorder {
  private final Path file;
  private final List<Exchange> exchanges = new ArrayList<>();

  private SessionRecorder(Path file) {
    this.file = file;
  }

  /** A recorder keeping exchanges in memory only. */
  public static SessionRecorder inMemory() {
    return new SessionRecorder(null);
  }

  /** A recorder writing to {@code file} (created now, empty, so a bad path fails early). */
  public static SessionRecorder toFile(Path file) {
    SessionRecorder recorder = new SessionRecorder(file);
    SessionFile.write(file, List.of());
    return recorder;
  }

  /** The file written, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Records one exchange. */
  public synchronized void record(Exchange exchange) {
    exchanges.add(exchange);
    if (file != null) {
      SessionFile.write(file, exchanges);
    }
  }

  /** The exchanges recorded so far, in order. */
  public synchronized List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }
}
