/**
 * Observation hooks: every module evaluation is reported to an {@link
 * dev.k8swasm.observe.EvaluationListener}.
 */
package dev.k8swasm.observe;
