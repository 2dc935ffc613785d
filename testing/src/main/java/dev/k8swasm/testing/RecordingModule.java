package dev.k8swasm.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.ModuleException;
import dev.k8swasm.module.ModuleMetadata;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link PolicyModule} that records every evaluation (input, raw response or failure) into the
 * current {@link Recorder} scope, so assertions can show them. Evaluations outside a scope are
 * passed through unrecorded.
 */
final class RecordingModule implements PolicyModule {
  private final PolicyModule delegate;

  RecordingModule(PolicyModule delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The module that does the work. */
  PolicyModule delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<ReviewKind> kinds() {
    return delegate.kinds();
  }

  @Override
  public JsonNode evaluate(ReviewKind kind, byte[] request) {
    try {
      JsonNode response = delegate.evaluate(kind, request);
      Recorder.add(
          ModuleCall.answered(
              name(), kind, Texts.pretty(request), response == null ? null : response.deepCopy()));
      return response;
    } catch (ModuleException e) {
      Recorder.add(ModuleCall.failed(name(), kind, Texts.pretty(request), e));
      throw e;
    }
  }

  @Override
  public ModuleMetadata metadata() {
    return delegate.metadata();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "recorded " + delegate;
  }
}
