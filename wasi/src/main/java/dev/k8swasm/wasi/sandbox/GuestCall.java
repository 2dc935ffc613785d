package dev.k8swasm.wasi.sandbox;

/**
 * One evaluation's work on a ready instance: call the guest's export(s), read its output, build the
 * result. Runs on the evaluating thread under the module's deadline.
 *
 * <p>A {@link dev.k8swasm.module.ModuleException} thrown here reaches the caller unchanged (use it
 * for protocol errors such as an unreadable response); anything else is classified like a guest
 * failure. The instance is reused afterwards only if every guest call completed and this method
 * returned normally or threw a {@code ModuleException}.
 *
 * @param <H> the type of the instance's host imports
 * @param <R> the result
 */
@FunctionalInterface
public interface GuestCall<H extends HostImports, R> {

  /** Does the evaluation's work on {@code guest}. */
  R call(Guest<H> guest);
}
