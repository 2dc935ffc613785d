package dev.k8swasm.cluster;

import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** One-line errors for what went wrong between us and the API server (never a token). */
final class ClusterErrors {
  private ClusterErrors() {}

  /**
   * The error a policy reads when {@code what} (e.g. "list v1/Ingress") failed with {@code e}.
   *
   * @param grant what RBAC must allow, e.g. "get, list and watch on configmaps"
   */
  static HostCapabilityException of(String what, String grant, Throwable e) {
    return new HostCapabilityException(describe(what, grant, e), e);
  }

  /** The RBAC verbs the caches need on {@code plural}. */
  static String read(String plural) {
    return "get, list and watch on " + plural;
  }

  static String describe(String what, String grant, Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof KubernetesClientException k && k.getCode() > 0) {
      int code = k.getCode();
      String status =
          k.getStatus() != null && k.getStatus().getMessage() != null
              ? k.getStatus().getMessage()
              : null;
      return switch (code) {
        case 401 ->
            "the Kubernetes API server refused to "
                + what
                + " (401 Unauthorized): the credentials of the kubeconfig or service account are"
                + " not accepted";
        case 403 ->
            "the Kubernetes API server refused to "
                + what
                + " (403 Forbidden): grant "
                + grant
                + " to the service account or user"
                + (status == null ? "" : " (" + oneLine(status) + ")");
        case 404 ->
            "the Kubernetes API server does not serve "
                + what.replaceFirst("^\\w+ ", "")
                + " (404 Not Found)";
        default ->
            "the Kubernetes API server failed to "
                + what
                + " ("
                + code
                + (status == null ? "" : ": " + oneLine(status))
                + ")";
      };
    }
    if (isUnreachable(t)) {
      return "cannot reach the Kubernetes API server to " + what + ": " + cause(t);
    }
    return "cannot " + what + ": " + cause(t);
  }

  static boolean isUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof TimeoutException
          || t instanceof IOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The innermost message worth showing, on one line. */
  static String cause(Throwable e) {
    Throwable t = e;
    String message = null;
    while (t != null) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
      if (t.getCause() == null || t.getCause() == t) {
        break;
      }
      t = t.getCause();
    }
    return message == null ? e.getClass().getSimpleName() : oneLine(message);
  }

  static String oneLine(String s) {
    String line = s.replaceAll("\\s+", " ").trim();
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
