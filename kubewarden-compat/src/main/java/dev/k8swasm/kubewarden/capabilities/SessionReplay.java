package dev.k8swasm.kubewarden.capabilities;

import dev.k8swasm.kubewarden.session.CallbackRequest;
import dev.k8swasm.kubewarden.session.Exchange;
import dev.k8swasm.kubewarden.session.SessionFile;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers host capability calls from a recorded session, in order (what {@code kwctl run
 * --replay-host-capabilities-interactions} does): the n-th call gets the n-th recorded answer. A
 * call of another type than recorded, or more calls than recorded, fail with a host error the
 * policy sees; a call of the same type with other fields is answered and logged as a warning.
 * Thread-safe.
 */
public final class SessionReplay {
  private static final Logger LOG = LoggerFactory.getLogger(SessionReplay.class);

  private final String source;
  private final List<Exchange> exchanges;
  private int next;

  /** Replays {@code exchanges}; {@code source} names them in messages. */
  public SessionReplay(List<Exchange> exchanges, String source) {
    this.exchanges = List.copyOf(exchanges);
    this.source = source;
  }

  /**
   * Replays the session in {@code file}.
   *
   * @throws IllegalArgumentException when the file cannot be read or parsed
   */
  public static SessionReplay fromFile(Path file) {
    return new SessionReplay(SessionFile.read(file), file.toString());
  }

  /**
   * The recorded answer to {@code request}: its payload.
   *
   * @throws HostCapabilityException with the recorded error message, or when the session does not
   *     fit the call
   */
  public synchronized byte[] answer(CallbackRequest request) {
    if (next >= exchanges.size()) {
      throw new HostCapabilityException(
          "replay session "
              + source
              + " has no answer for host call "
              + (next + 1)
              + " ("
              + request.type()
              + "): only "
              + exchanges.size()
              + " exchange(s) were recorded");
    }
    Exchange recorded = exchanges.get(next);
    int number = ++next;
    if (!recorded.request().type().equals(request.type())) {
      throw new HostCapabilityException(
          "replay session "
              + source
              + ": host call "
              + number
              + " is "
              + request.type()
              + " but the session recorded "
              + recorded.request().type());
    }
    if (!recorded.request().sameAs(request)) {
      LOG.warn(
          "replay session {}: host call {} ({}) differs from the recorded one; answering with the"
              + " recorded response anyway. Call: {} recorded: {}",
          source,
          number,
          request.type(),
          request.fields(),
          recorded.request().fields());
    }
    if (!recorded.success()) {
      throw new HostCapabilityException(recorded.message().orElse(""));
    }
    return recorded.payload().orElse("").getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** How many recorded exchanges have been used. */
  public synchronized int used() {
    return next;
  }

  /** How many exchanges were recorded. */
  public int size() {
    return exchanges.size();
  }
}
