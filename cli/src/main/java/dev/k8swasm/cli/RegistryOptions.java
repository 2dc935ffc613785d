package dev.k8swasm.cli;

import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.oci.Oci;
import dev.k8swasm.oci.OciOptions;
import dev.k8swasm.source.ModuleReference;
import dev.k8swasm.source.ModuleSourceException;
import dev.k8swasm.source.ModuleSources;
import dev.k8swasm.source.ResolvedModule;
import dev.k8swasm.source.SourceOptions;
import dev.k8swasm.source.SourceOptions.PullPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * kwctl's registry flags, shared by every command that takes a module reference: {@code
 * --docker-config-json-path}, {@code --sources-path}, {@code --verification-config-path}. Turns a
 * MODULE argument (a path, {@code file://}, {@code https://} or {@code registry://}) into a local
 * file, pulling it into the store on a miss.
 */
public final class RegistryOptions {

  @Option(
      names = "--docker-config-json-path",
      paramLabel = "FILE",
      description =
          "Docker config.json with registry credentials, or a directory holding one (default:"
              + " $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
  Path dockerConfig;

  @Option(
      names = "--sources-path",
      paramLabel = "FILE",
      description =
          "kwctl sources.yml: insecure_sources (plain HTTP) and source_authorities (extra CA"
              + " certificates per registry).")
  Path sources;

  @Option(
      names = "--verification-config-path",
      paramLabel = "FILE",
      description =
          "kwctl verification-config.yml: registry modules must carry these cosign signatures"
              + " (kind pubKey) or they are refused.")
  Path verificationConfig;

  /** Where pulled modules are stored; null: the default store. */
  private Path storeDir;

  /** Used by picocli. */
  public RegistryOptions() {}

  /** Stores pulled modules in {@code dir} instead of the default store. */
  void storeDir(Path dir) {
    this.storeDir = dir;
  }

  /** The registry settings of these flags (store under the cache directory). */
  OciOptions oci() {
    OciOptions.Builder b = OciOptions.builder();
    if (dockerConfig != null) {
      // a directory as Kubewarden's controller mounts an image pull secret (DIR/config.json)
      b.dockerConfig(
          Files.isDirectory(dockerConfig) ? dockerConfig.resolve("config.json") : dockerConfig);
    }
    if (storeDir != null) {
      b.storeDir(storeDir);
    }
    if (sources != null) {
      b.sources(sources);
    }
    if (verificationConfig != null) {
      b.verificationConfig(verificationConfig);
    }
    return b.build();
  }

  /** Registry access with these flags. */
  Oci client() {
    try {
      return Oci.of(oci());
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** Source options carrying these flags. */
  SourceOptions sourceOptions(PullPolicy policy) {
    return SourceOptions.builder().pullPolicy(policy).extension(OciOptions.class, oci()).build();
  }

  /** Adds these flags to a module spec, for modules resolved while loading (config files). */
  ModuleSpec.Builder apply(ModuleSpec.Builder b, PullPolicy policy) {
    return b.extension(SourceOptions.class, sourceOptions(policy));
  }

  /**
   * The local file of {@code module}: a local path as is, a remote reference from the store (pulled
   * when missing).
   *
   * @throws CliException naming the reference and the cause
   */
  ResolvedModule resolve(String module) {
    ModuleReference reference;
    try {
      reference = ModuleReference.parse(module);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    if (reference.isLocal()) {
      Deciders.checkModuleFile(reference.localPath().orElseThrow());
    }
    try {
      return ModuleSources.resolve(reference, sourceOptions(PullPolicy.IF_NOT_PRESENT));
    } catch (ModuleSourceException | IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
  }
}
