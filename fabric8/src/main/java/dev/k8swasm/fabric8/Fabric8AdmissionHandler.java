package dev.k8swasm.fabric8;

import dev.k8swasm.admission.AdmissionController;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionResponse;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.json.Json;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves admission webhook calls from an operator: wraps an {@link AdmissionController} (usually an
 * {@link dev.k8swasm.admission.AdmissionChain}) and answers AdmissionReviews the way kube-apiserver
 * expects a webhook to, either as fabric8 objects ({@link
 * #handle(io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview)}) or as JSON bytes ({@link
 * #handle(byte[])}, for an HTTP handler).
 *
 * <p>The answer is a review holding only {@code apiVersion} (the one of the request, {@code
 * admission.k8s.io/v1} when it has none), {@code kind: AdmissionReview} and the controller's {@code
 * response}, whose {@code uid} is always the request's uid (kube-apiserver rejects any other).
 *
 * <p>{@link #handle(byte[])} reads the bytes straight into the k8s-wasm wire types, so the
 * controller sees exactly what kube-apiserver sent; the fabric8 variant converts with {@link
 * Fabric8Reviews}, whose Javadoc says what survives that.
 *
 * <p>Errors are thrown, not turned into denials, so an HTTP handler can answer with an error status
 * and kube-apiserver applies the webhook's own {@code failurePolicy}: a request that is not an
 * AdmissionReview with a request throws {@link IllegalArgumentException} (answer 400); anything the
 * controller throws is passed on (answer 500). An {@link dev.k8swasm.admission.AdmissionChain}
 * never throws for a failing module: it applies that module's failure policy itself.
 *
 * <p>Thread-safe. Closing the handler closes the controller if it is {@link AutoCloseable}; a
 * closed handler throws {@link IllegalStateException}.
 */
public final class Fabric8AdmissionHandler implements AutoCloseable {

  /** {@code admission.k8s.io/v1beta1}, still accepted from older API server configurations. */
  static final String V1BETA1 = "admission.k8s.io/v1beta1";

  private final AdmissionController controller;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Fabric8AdmissionHandler(AdmissionController controller) {
    this.controller = Objects.requireNonNull(controller, "controller");
  }

  /**
   * A handler asking {@code controller}; the handler owns it from now on (see {@link #close}).
   *
   * @param controller the controller that decides, usually an {@link
   *     dev.k8swasm.admission.AdmissionChain}
   * @return the handler
   */
  public static Fabric8AdmissionHandler of(AdmissionController controller) {
    return new Fabric8AdmissionHandler(controller);
  }

  /**
   * The controller this handler asks.
   *
   * @return the controller
   */
  public AdmissionController controller() {
    return controller;
  }

  /**
   * Admits a fabric8 AdmissionReview.
   *
   * @param review the review kube-apiserver sent
   * @return a review holding only {@code apiVersion}, {@code kind} and {@code response}
   * @throws IllegalArgumentException when {@code review} has no request or is not an {@code
   *     admission.k8s.io/v1} AdmissionReview
   * @throws IllegalStateException when the handler is closed or the controller gave no response
   */
  public io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview handle(
      io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    return Fabric8Reviews.toFabric8(admit(Fabric8Reviews.fromFabric8(review)));
  }

  /**
   * Admits an AdmissionReview given as JSON, as an HTTP handler receives it from kube-apiserver.
   *
   * @param json the request body
   * @return the answer as compact JSON bytes
   * @throws IllegalArgumentException when {@code json} is not an {@code admission.k8s.io/v1} (or
   *     {@code v1beta1}) AdmissionReview with a request
   * @throws IllegalStateException when the handler is closed or the controller gave no response
   */
  public byte[] handle(byte[] json) {
    Objects.requireNonNull(json, "json");
    return Json.write(admit(Json.read(json, AdmissionReview.class)));
  }

  private AdmissionReview admit(AdmissionReview review) {
    if (closed.get()) {
      throw new IllegalStateException("the admission handler is closed");
    }
    String apiVersion = review.apiVersion() == null ? AdmissionReview.V1 : review.apiVersion();
    if (!AdmissionReview.V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
      throw new IllegalArgumentException(
          "expected an AdmissionReview of apiVersion admission.k8s.io/v1, got '"
              + apiVersion
              + "'");
    }
    if (review.kind() != null && !AdmissionReview.KIND.equals(review.kind())) {
      throw new IllegalArgumentException(
          "expected kind AdmissionReview, got '" + review.kind() + "'");
    }
    AdmissionRequest request = review.request();
    if (request == null) {
      throw new IllegalArgumentException("the AdmissionReview has no request");
    }
    AdmissionReview answer = controller.admit(review);
    AdmissionResponse response = answer == null ? null : answer.response();
    if (response == null) {
      throw new IllegalStateException(
          "the admission controller " + controller + " returned no response");
    }
    String uid = request.uid();
    if (uid != null && !uid.isEmpty() && !uid.equals(response.uid())) {
      response =
          new AdmissionResponse(
              uid,
              response.allowed(),
              response.status(),
              response.patch(),
              response.patchType(),
              response.auditAnnotations(),
              response.warnings(),
              response.additionalProperties());
    }
    return new AdmissionReview(apiVersion, AdmissionReview.KIND, null, response, null);
  }

  /** Closes the controller if it is {@link AutoCloseable}; later calls do nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (controller instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("closing the admission controller failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "Fabric8AdmissionHandler[" + controller + (closed.get() ? ", closed]" : "]");
  }
}
