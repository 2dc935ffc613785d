package dev.k8swasm.oci;

/** The media types of Wasm policy artifacts, manifests and cosign signatures. */
public final class MediaTypes {
  /** A Wasm module layer, as Kubewarden and wasm-to-oci push it. */
  public static final String WASM_LAYER = "application/vnd.wasm.content.layer.v1+wasm";

  /** The config blob of a Wasm artifact. */
  public static final String WASM_CONFIG = "application/vnd.wasm.config.v1+json";

  /** An OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** An OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** A Docker image manifest (schema 2). */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** A Docker manifest list. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** A cosign simple-signing payload layer. */
  public static final String COSIGN_SIMPLE_SIGNING =
      "application/vnd.dev.cosign.simplesigning.v1+json";

  private MediaTypes() {}
}
