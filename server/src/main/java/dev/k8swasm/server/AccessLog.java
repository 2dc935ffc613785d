package dev.k8swasm.server;

import dev.k8swasm.json.Redaction;
import dev.k8swasm.observe.Evaluation;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request, as {@code key=value} pairs: request id and uid, endpoint, HTTP status,
 * decision, user, the modules asked with their decisions and durations, and the total duration.
 * Bearer tokens never appear: TokenReview bodies are never logged, and messages are redacted.
 * Control characters in values (from requests or modules) are escaped, so a line is always one
 * line. A client that went away before its answer is logged with status 499.
 *
 * <p>{@link #slf4j()} also attaches the fields as SLF4J key-value pairs ({@code request_id}, {@code
 * request_uid}, {@code endpoint}, {@code policy_id}, {@code status}, {@code decision}, {@code
 * allowed}, {@code user}, {@code duration_ms}, {@code response_message}), so that a structured
 * logging backend (the CLI's {@code --log-fmt json}) writes them as fields.
 */
@FunctionalInterface
public interface AccessLog {

  /**
   * One answered request.
   *
   * @param id the server's sequence number of the request
   * @param uid the AdmissionReview's request uid, or null
   * @param endpoint the endpoint, e.g. {@code /validate} or {@code /validate/{module}}
   * @param policy the module or policy the endpoint names ({@code ID} of {@code /validate/ID}), or
   *     null
   * @param status the HTTP status sent
   * @param decision the decision (e.g. {@code allowed}, {@code denied}, {@code authenticated}), or
   *     null when nothing was decided
   * @param user the user the request is about (SubjectAccessReview, AdmissionReview) or the user
   *     authenticated, or null
   * @param evaluations the module evaluations, in order
   * @param nanos the time from receiving to answering
   * @param message why the request failed (4xx/5xx) or the decision's message, or null
   */
  record Entry(
      long id,
      String uid,
      String endpoint,
      String policy,
      int status,
      String decision,
      String user,
      List<Evaluation> evaluations,
      long nanos,
      String message) {

    /** The entry as one logfmt line (without the logger's prefix). */
    public String format() {
      StringBuilder s = new StringBuilder(160);
      s.append("request id=").append(id);
      if (uid != null) {
        s.append(" uid=").append(quote(uid));
      }
      s.append(" endpoint=").append(LogText.escape(endpoint));
      if (policy != null) {
        s.append(" policy=").append(quote(policy));
      }
      s.append(" status=").append(status);
      if (decision != null) {
        s.append(" decision=").append(decision);
      }
      if (user != null) {
        s.append(" user=").append(quote(user));
      }
      if (!evaluations.isEmpty()) {
        s.append(" modules=");
        for (int i = 0; i < evaluations.size(); i++) {
          Evaluation e = evaluations.get(i);
          if (i > 0) {
            s.append(',');
          }
          s.append(e.module()).append(':').append(e.decisionLabel()).append(':');
          s.append(millis(e.duration().toNanos())).append("ms");
          e.failure().ifPresent(f -> s.append(':').append(f.name()));
        }
      }
      s.append(" duration_ms=").append(millis(nanos));
      if (message != null && !message.isEmpty()) {
        s.append(" message=").append(quote(Redaction.redact(message)));
      }
      return s.toString();
    }

    /**
     * Whether the request was admitted or authenticated or authorized; null when nothing was
     * decided.
     */
    public Boolean allowed() {
      if (decision == null) {
        return null;
      }
      return switch (decision) {
        case "allowed", "patched", "authenticated" -> true;
        default -> false;
      };
    }

    private static String millis(long nanos) {
      return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String quote(String v) {
      String one = LogText.escape(v).replace("\"", "\\\"");
      if (one.length() > 500) {
        one = one.substring(0, 500) + "...";
      }
      return one.chars().anyMatch(c -> c == ' ' || c == '=' || c == '"') || one.isEmpty()
          ? '"' + one + '"'
          : one;
    }
  }

  /** Logs {@code entry}. Must be thread-safe, fast, and must not throw. */
  void log(Entry entry);

  /**
   * The default: logger {@code dev.k8swasm.server.access} at INFO for answered requests, WARN for
   * server errors (5xx).
   */
  static AccessLog slf4j() {
    Logger log = LoggerFactory.getLogger("dev.k8swasm.server.access");
    return e -> {
      boolean error = e.status() >= 500;
      if (!error && !log.isInfoEnabled()) {
        return;
      }
      LoggingEventBuilder b = error ? log.atWarn() : log.atInfo();
      b = b.addKeyValue("request_id", e.id());
      if (e.uid() != null) {
        b = b.addKeyValue("request_uid", LogText.escape(e.uid()));
      }
      b = b.addKeyValue("endpoint", e.endpoint());
      if (e.policy() != null) {
        b = b.addKeyValue("policy_id", LogText.escape(e.policy()));
      }
      b = b.addKeyValue("status", e.status());
      if (e.decision() != null) {
        b = b.addKeyValue("decision", e.decision()).addKeyValue("allowed", e.allowed());
      }
      if (e.user() != null) {
        b = b.addKeyValue("user", LogText.escape(e.user()));
      }
      b = b.addKeyValue("duration_ms", e.nanos() / 1e6);
      if (e.message() != null && !e.message().isEmpty()) {
        b = b.addKeyValue("response_message", LogText.escape(Redaction.redact(e.message())));
      }
      b.log(e.format());
    };
  }
}
