/** Shared JSON / YAML mapping for the Kubernetes wire types. */
package dev.k8swasm.json;
