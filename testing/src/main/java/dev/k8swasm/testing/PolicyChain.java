package dev.k8swasm.testing;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionRequest;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.AuthenticationResult;
import dev.k8swasm.authn.AuthenticatorChain;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.authz.AuthorizationDecision;
import dev.k8swasm.authz.AuthorizerChain;
import dev.k8swasm.authz.SubjectAccessReview;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.PolicyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A configuration file loaded for tests: the chains it configures, built exactly as {@link Chains}
 * builds them for production, with every module's calls recorded so a failing assertion shows them.
 *
 * <p>A configuration does not say whether it is for authentication, authorization or admission;
 * each chain is built the first time it is used (so a module that does not export what a chain
 * needs fails then, with the configuration's message) and kept until {@link #close()}.
 *
 * <pre>{@code
 * try (PolicyChain admission = PolicyChain.load("config/admission.yaml")) {
 *   assertThat(admission.admit(AdmissionReviews.create(configMap))).mutates().to(expected);
 * }
 * }</pre>
 */
public final class PolicyChain implements AutoCloseable {
  private final Path file;
  private final PolicyConfig config;
  private final ChainOptions options;
  private AuthenticatorChain authenticator;
  private AuthorizerChain authorizer;
  private AdmissionChain admission;
  private boolean closed;

  private PolicyChain(Path file, ChainOptions options) {
    this.file = file;
    this.config = ConfigLoader.load(file);
    this.options =
        options.toBuilder()
            .moduleDecorator(m -> new RecordingModule(options.moduleDecorator().apply(m)))
            .build();
  }

  /**
   * Reads the configuration at {@code location} (a file, or a class path resource that is a file).
   *
   * @throws dev.k8swasm.config.ConfigException listing every problem of the file
   */
  public static PolicyChain load(String location) {
    return load(location, ChainOptions.defaults());
  }

  /** Reads the configuration at {@code location}, building chains with {@code options}. */
  public static PolicyChain load(String location, ChainOptions options) {
    Path file = Location.of(location).requireFile("a configuration must be a file");
    return new PolicyChain(file, Objects.requireNonNull(options, "options"));
  }

  /** The configuration file. */
  public Path file() {
    return file;
  }

  /** The configuration as read. */
  public PolicyConfig config() {
    return config;
  }

  /** The authentication chain (built on first use). */
  public synchronized AuthenticatorChain authenticator() {
    checkOpen();
    if (authenticator == null) {
      authenticator = Chains.authenticator(config, options);
    }
    return authenticator;
  }

  /** The authorization chain (built on first use). */
  public synchronized AuthorizerChain authorizer() {
    checkOpen();
    if (authorizer == null) {
      authorizer = Chains.authorizer(config, options);
    }
    return authorizer;
  }

  /** The admission chain (built on first use). */
  public synchronized AdmissionChain admission() {
    checkOpen();
    if (admission == null) {
      admission = Chains.admission(config, options);
    }
    return admission;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the chains of " + file + " are closed");
    }
  }

  /** Authenticates {@code review} with the authentication chain. */
  public AuthenticationOutcome authenticate(TokenReview review) {
    Objects.requireNonNull(review, "review");
    AuthenticatorChain chain = authenticator();
    Recorder.Recorded<AuthenticationResult> r = Recorder.record(() -> chain.authenticate(review));
    Policy.rethrow(r.failure());
    return new AuthenticationOutcome(review, r.value(), r.calls());
  }

  /** Authenticates the review {@code review} builds. */
  public AuthenticationOutcome authenticate(TokenReviews.Builder review) {
    return authenticate(review.build());
  }

  /** Authenticates a v1 TokenReview of {@code token}. */
  public AuthenticationOutcome authenticate(String token) {
    return authenticate(TokenReviews.forToken(token).build());
  }

  /** Authorizes {@code review} with the authorization chain. */
  public AuthorizationOutcome authorize(SubjectAccessReview review) {
    Objects.requireNonNull(review, "review");
    AuthorizerChain chain = authorizer();
    Recorder.Recorded<AuthorizationDecision> r = Recorder.record(() -> chain.authorize(review));
    Policy.rethrow(r.failure());
    return new AuthorizationOutcome(review, r.value(), r.calls());
  }

  /** Authorizes the review {@code review} builds. */
  public AuthorizationOutcome authorize(SubjectAccessReviews.Builder review) {
    return authorize(review.build());
  }

  /** Admits {@code review} through the admission chain. */
  public AdmissionOutcome admit(AdmissionReview review) {
    Objects.requireNonNull(review, "review");
    AdmissionChain chain = admission();
    Recorder.Recorded<AdmissionReview> r = Recorder.record(() -> chain.admit(review));
    return new AdmissionOutcome(review, r.value(), r.failure(), r.calls());
  }

  /** Admits the review {@code review} builds. */
  public AdmissionOutcome admit(AdmissionReviews.Builder review) {
    return admit(review.build());
  }

  /** Admits {@code request} in a v1 AdmissionReview. */
  public AdmissionOutcome admit(AdmissionRequest request) {
    return admit(AdmissionReview.of(request));
  }

  /** Closes the chains built so far, and with them their modules. */
  @Override
  public synchronized void close() {
    closed = true;
    List<AutoCloseable> built = new ArrayList<>();
    built.add(authenticator);
    built.add(authorizer);
    built.add(admission);
    built.removeIf(Objects::isNull);
    authenticator = null;
    authorizer = null;
    admission = null;
    Closing.all(built);
  }

  @Override
  public String toString() {
    return "PolicyChain[" + file + "]";
  }
}
