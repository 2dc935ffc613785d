/**
 * Configuration: {@link dev.k8swasm.config.ConfigLoader} reads module lists and
 * AdmissionConfiguration files; {@link dev.k8swasm.config.Chains} turns them into ready chains.
 */
package dev.k8swasm.config;
