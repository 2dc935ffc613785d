package dev.k8swasm.server;

import dev.k8swasm.json.Redaction;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request handler on Jetty's I/O threads: routes each request; answers probes and metrics at
 * once (they never wait behind evaluations); for reviews, reads the body ({@link BodyReader}) and
 * hands the complete request to {@link Admission}, whose workers evaluate it ({@link Evaluator})
 * and answer.
 */
final class Dispatcher extends Handler.Abstract.NonBlocking {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final byte[] OK = "ok\n".getBytes(StandardCharsets.UTF_8);
  private static final Pattern GO_DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|ns|h|m|s)");

  /** The connector name of the plain-HTTP probe and metrics port. */
  static final String OPS_CONNECTOR = "ops";

  private final PolicyStore store;
  private final ServerMetrics metrics;
  private final AccessLog accessLog;
  private final BodyReader bodies;
  private final Admission admission;
  private final Evaluator evaluator;
  private final ServerTracing tracing;
  private final ServerLimits limits;
  private final BooleanSupplier stopping;
  private final ReadinessCheck readiness;
  private final ConnectionGuard guard;
  private final AtomicLong ids = new AtomicLong();

  Dispatcher(
      PolicyStore store,
      ServerMetrics metrics,
      AccessLog accessLog,
      BodyReader bodies,
      Admission admission,
      Evaluator evaluator,
      ServerTracing tracing,
      ServerLimits limits,
      BooleanSupplier stopping,
      ConnectionGuard guard,
      ReadinessCheck readiness) {
    this.store = store;
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.bodies = bodies;
    this.admission = admission;
    this.evaluator = evaluator;
    this.tracing = tracing;
    this.limits = limits;
    this.stopping = stopping;
    this.guard = guard;
    this.readiness = readiness;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    guard.served(request.getConnectionMetaData().getRemoteSocketAddress());
    String path = Request.getPathInContext(request);
    Route route = Route.of(path);
    Exchange x =
        new Exchange(
            ids.incrementAndGet(), route, path, request, response, callback, metrics, accessLog);
    boolean opsOnly =
        OPS_CONNECTOR.equals(request.getConnectionMetaData().getConnector().getName());
    if (stopping.getAsBoolean()) {
      // answered, but the client must not send more on this connection: it reconnects (to
      // another replica) instead of keeping this one busy through the grace period
      Responses.closeConnection(request, response);
    }
    try {
      if (route == null || (opsOnly && !route.ops)) {
        throw HttpError.notFound(Route.notFoundMessage(opsOnly));
      }
      if (!route.method.equals(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, route.method);
        throw new HttpError(
            405,
            "MethodNotAllowed",
            route.label
                + " accepts only "
                + route.method
                + ", not "
                + Evaluator.clip(request.getMethod()));
      }
      switch (route) {
        case HEALTHZ_ROUTE -> x.send(200, Responses.TEXT, OK, null);
        case READYZ_ROUTE, READINESS_ROUTE -> {
          Optional<String> dependency =
              stopping.getAsBoolean() || store.peek().isEmpty()
                  ? Optional.empty()
                  : readiness.notReady();
          if (dependency.isPresent()) {
            Responses.retryAfter(response, Duration.ofSeconds(1));
            x.fail(
                new HttpError(
                    503, "ServiceUnavailable", "not ready: " + Evaluator.clip(dependency.get())));
          } else if (!stopping.getAsBoolean() && store.peek().isPresent()) {
            x.send(200, Responses.TEXT, OK, null);
          } else {
            Responses.retryAfter(response, Duration.ofSeconds(1));
            x.fail(
                new HttpError(
                    503,
                    "ServiceUnavailable",
                    stopping.getAsBoolean() ? "shutting down" : "loading modules"));
          }
        }
        case METRICS_ROUTE ->
            x.send(
                200,
                Responses.PROMETHEUS_TEXT,
                metrics.scrape().getBytes(StandardCharsets.UTF_8),
                null);
        default -> review(x);
      }
    } catch (HttpError e) {
      failAfterBody(x, e);
    } catch (RuntimeException e) {
      internalError(x, e, List.of());
    }
    return true;
  }

  /**
   * Answers {@code e} once the request's body (if any, within the limits) has arrived, so the
   * client can go on using the connection (HTTP/1.1) and no stream is reset (HTTP/2).
   */
  private void failAfterBody(Exchange x, HttpError e) {
    if (x.request.getLength() == 0) {
      x.fail(e);
      return;
    }
    bodies.read(
        x.request,
        new BodyReader.Result() {
          @Override
          public void body(byte[] body) {
            x.fail(e);
          }

          @Override
          public void failed(HttpError error) {
            Responses.closeConnection(x.request, x.response);
            x.fail(e);
          }
        });
  }

  private void review(Exchange x) {
    Optional<PolicyStore.Lease> acquired = store.acquire();
    if (acquired.isEmpty()) {
      metrics.rejected("not_ready");
      Responses.retryAfter(x.response, limits.retryAfter());
      throw new HttpError(503, "ServiceUnavailable", "no configuration is loaded yet");
    }
    PolicyStore.Lease lease = acquired.get();
    try {
      evaluator.check(x.route, x.path, lease.policies());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    if (x.request.getLength() > 0 && x.request.getLength() > bodies.maxBytes()) {
      lease.close();
      Responses.closeConnection(x.request, x.response);
      x.fail(bodies.tooLarge());
      return;
    }
    long deadline = System.nanoTime() + queueTimeout(x.request).toNanos();
    bodies.read(
        x.request,
        new BodyReader.Result() {
          @Override
          public void body(byte[] body) {
            admit(x, lease, body, deadline);
          }

          @Override
          public void failed(HttpError error) {
            lease.close();
            if (error == null) {
              x.abandon("the client went away while sending the request");
            } else {
              Responses.closeConnection(x.request, x.response);
              x.fail(error);
            }
          }
        });
  }

  private void admit(Exchange x, PolicyStore.Lease lease, byte[] body, long deadline) {
    Admission.Outcome outcome =
        admission.submit(
            Route.lane(x.route, x.path),
            x.route == Route.AUTHENTICATE_ROUTE,
            deadline,
            new Admission.Job() {
              @Override
              public boolean wanted() {
                return !x.gone();
              }

              @Override
              public void run() {
                evaluate(x, lease, body);
              }

              @Override
              public void dropped(Admission.Drop reason) {
                lease.close();
                switch (reason) {
                  case CLIENT_GONE -> {
                    metrics.rejected("client_gone");
                    x.abandon("the client went away while the request waited; not evaluated");
                  }
                  case EXPIRED -> {
                    metrics.rejected("deadline");
                    Responses.retryAfter(x.response, limits.retryAfter());
                    x.fail(
                        new HttpError(
                            503,
                            "ServiceUnavailable",
                            "the request waited for a worker past its deadline; not evaluated"));
                  }
                  case SHUTDOWN -> {
                    Responses.retryAfter(x.response, limits.retryAfter());
                    Responses.closeConnection(x.request, x.response);
                    x.fail(new HttpError(503, "ServiceUnavailable", "the server is stopping"));
                  }
                }
              }
            });
    if (outcome == Admission.Outcome.REFUSED) {
      lease.close();
      metrics.rejected("overloaded");
      Responses.retryAfter(x.response, limits.retryAfter());
      x.fail(
          new HttpError(
              429,
              "TooManyRequests",
              "the server is busy (the workers and the queue of "
                  + x.route.label
                  + (Route.single(x.route) ? " for this module" : "")
                  + " are full)"));
    }
  }

  private void evaluate(Exchange x, PolicyStore.Lease lease, byte[] body) {
    RequestContext context = RequestContext.begin();
    Span span = tracing.request(x.route, x.path);
    try (lease;
        Scope scope = span.makeCurrent()) {
      Reviews.Answer answer = evaluator.evaluate(x.route, x.path, body, lease.policies());
      ServerTracing.answered(span, answer);
      x.answer(answer, context.evaluations());
    } catch (HttpError e) {
      ServerTracing.failed(span, e.status(), e.getMessage());
      x.fail(e, context.evaluations());
    } catch (RuntimeException | StackOverflowError e) {
      ServerTracing.failed(span, 500, "internal error");
      internalError(x, e, context.evaluations());
    } finally {
      span.end();
      RequestContext.end();
    }
  }

  private static void internalError(
      Exchange x, Throwable e, List<dev.k8swasm.observe.Evaluation> evaluations) {
    LOG.error(
        "request id={} endpoint={} failed: {}",
        x.id,
        x.endpoint(),
        LogText.escape(Redaction.redact(e.toString())));
    LOG.debug("request id={} failure", x.id, e);
    x.fail(
        new HttpError(500, "InternalError", "internal error (request id " + x.id + ")"),
        evaluations);
  }

  /**
   * How long the request may wait for a worker: kube-apiserver's {@code ?timeout=} (a Go duration,
   * e.g. {@code 10s}) when present and valid, else {@code limits.queueTimeout}.
   */
  Duration queueTimeout(Request request) {
    String query = request.getHttpURI().getQuery();
    if (query == null) {
      return limits.queueTimeout();
    }
    for (String part : query.split("&")) {
      if (part.startsWith("timeout=")) {
        Duration d = goDuration(part.substring("timeout=".length()));
        if (d != null && !d.isZero()) {
          return d.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : d;
        }
      }
    }
    return limits.queueTimeout();
  }

  /** A Go duration ({@code 10s}, {@code 1m30s}, {@code 500ms}), or null when it is not one. */
  static Duration goDuration(String text) {
    if (text.isEmpty() || text.length() > 32) {
      return null;
    }
    Matcher m = GO_DURATION.matcher(text);
    long nanos = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return null;
      }
      end = m.end();
      double v = Double.parseDouble(m.group(1));
      double unit =
          switch (m.group(2)) {
            case "h" -> 3.6e12;
            case "m" -> 6e10;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "us", "µs" -> 1e3;
            default -> 1;
          };
      nanos += (long) Math.min(v * unit, 3.6e12);
    }
    return end == text.length() ? Duration.ofNanos(nanos) : null;
  }
}
