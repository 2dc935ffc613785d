package dev.k8swasm.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Loads a configuration file (the format of {@code dev.k8swasm.config.ConfigLoader}) once per test
 * class and gives its chains to the tests, as a {@link PolicyChain} (recommended) or as the
 * library's {@link dev.k8swasm.authn.AuthenticatorChain}, {@link dev.k8swasm.authz.AuthorizerChain}
 * or {@link dev.k8swasm.admission.AdmissionChain}.
 *
 * <pre>{@code
 * @WasmConfig("config/admission.yaml")
 * class AdmissionConfigTest {
 *   @Test
 *   void mutatesThenValidates(PolicyChain admission) { ... }
 * }
 * }</pre>
 *
 * Module paths in the file are relative to the file's folder, as in production.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.PARAMETER})
@ExtendWith(WasmPolicyExtension.class)
public @interface WasmConfig {

  /** The configuration file (or a class path resource that is a file); same as {@link #path()}. */
  String value() default "";

  /** The configuration file (or a class path resource that is a file). */
  String path() default "";

  /** A name to refer to it by from a parameter (default: the path). */
  String name() default "";
}
