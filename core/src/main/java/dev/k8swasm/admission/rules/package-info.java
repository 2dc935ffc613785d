/**
 * Which requests an admission module sees: {@link dev.k8swasm.admission.rules.RuleWithOperations},
 * as a module declares it in its metadata and as configuration overrides it. Below both {@code
 * dev.k8swasm.module} and {@code dev.k8swasm.admission}, so that module metadata can carry typed
 * rules.
 */
package dev.k8swasm.admission.rules;
