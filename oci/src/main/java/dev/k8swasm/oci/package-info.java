/**
 * Modules from OCI registries ({@code registry://HOST[:PORT]/REPO[:TAG][@sha256:DIGEST]}) and
 * {@code https://} URLs: {@link dev.k8swasm.oci.Oci} pulls into and pushes from the {@link
 * dev.k8swasm.oci.LocalStore}, checks digests and (with a kwctl {@code verification-config.yml})
 * cosign public-key signatures; {@link dev.k8swasm.oci.OciResolver} plugs this into core's
 * module-source SPI, configured by {@link dev.k8swasm.oci.OciOptions}.
 */
package dev.k8swasm.oci;
