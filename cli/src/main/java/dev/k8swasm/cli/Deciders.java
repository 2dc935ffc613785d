package dev.k8swasm.cli;

import dev.k8swasm.admission.AdmissionChain;
import dev.k8swasm.admission.AdmissionHook;
import dev.k8swasm.admission.ModuleAdmissionController;
import dev.k8swasm.admission.rules.RuleWithOperations;
import dev.k8swasm.authn.ModuleAuthenticator;
import dev.k8swasm.authz.ModuleAuthorizer;
import dev.k8swasm.config.ChainOptions;
import dev.k8swasm.config.Chains;
import dev.k8swasm.config.ConfigLoader;
import dev.k8swasm.config.PolicyConfig;
import dev.k8swasm.module.ModuleRuntimes;
import dev.k8swasm.module.ModuleSpec;
import dev.k8swasm.module.ModuleType;
import dev.k8swasm.module.PolicyModule;
import dev.k8swasm.module.ReviewKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** Builds {@link Decider}s: from one module file, or from a configuration file. */
public final class Deciders {
  private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

  private Deciders() {}

  /**
   * A decider asking the one module of {@code spec}. Admission runs it as the only hook of an
   * {@link AdmissionChain} with a rule matching every request (so rules are not in the way), with
   * failure policy Fail: a module failure becomes a denial with code 500.
   *
   * @param mutating admission: whether the module runs as a mutating hook
   * @throws CliException when the file is missing or not WebAssembly, or the module cannot evaluate
   *     {@code kind}
   * @throws dev.k8swasm.module.ModuleException when the module cannot be loaded
   */
  public static Decider forModule(ModuleSpec spec, ReviewKind kind, boolean mutating) {
    spec.path().ifPresent(Deciders::checkModuleFile);
    PolicyModule module = ModuleRuntimes.load(spec);
    try {
      if (!module.kinds().contains(kind)) {
        throw new CliException(unsupported(spec, module, kind));
      }
      FailureRecorder failures = new FailureRecorder();
      return switch (kind) {
        case AUTHENTICATION -> {
          ModuleAuthenticator a = ModuleAuthenticator.builder(module).listener(failures).build();
          yield Decider.authentication(a, a, failures);
        }
        case AUTHORIZATION -> {
          ModuleAuthorizer a = ModuleAuthorizer.builder(module).listener(failures).build();
          yield Decider.authorization(a, a, failures);
        }
        case ADMISSION -> {
          AdmissionChain chain =
              AdmissionChain.builder()
                  .add(
                      AdmissionHook.builder(
                              module.name(),
                              ModuleAdmissionController.of(module, mutating, failures))
                          .rules(RuleWithOperations.ALL)
                          .build())
                  .build();
          yield Decider.admission(chain, chain, failures);
        }
      };
    } catch (RuntimeException e) {
      module.close();
      throw e;
    }
  }

  /**
   * A decider running the chain of {@code kind} configured in {@code file}: all modules, in order;
   * for admission both phases with each module's rules and failure policy.
   *
   * @param customizer applied to every module's spec (e.g. limits from the command line)
   * @throws dev.k8swasm.config.ConfigException listing every problem
   */
  public static Decider forConfig(
      Path file, ReviewKind kind, UnaryOperator<ModuleSpec.Builder> customizer) {
    PolicyConfig config = ConfigLoader.load(file);
    FailureRecorder failures = new FailureRecorder();
    ChainOptions chainOptions =
        ChainOptions.builder().listener(failures).specCustomizer(customizer).build();
    return switch (kind) {
      case AUTHENTICATION -> {
        var chain = Chains.authenticator(config, chainOptions);
        yield Decider.authentication(chain, chain, failures);
      }
      case AUTHORIZATION -> {
        var chain = Chains.authorizer(config, chainOptions);
        yield Decider.authorization(chain, chain, failures);
      }
      case ADMISSION -> {
        var chain = Chains.admission(config, chainOptions);
        yield Decider.admission(chain, chain, failures);
      }
    };
  }

  /**
   * Fails with a clear message when {@code path} is missing, unreadable or not WebAssembly.
   *
   * @throws CliException naming the path
   */
  static void checkModuleFile(Path path) {
    if (!Files.exists(path)) {
      throw new CliException("module file not found: " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw new CliException("module is not a file: " + path);
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(path)) {
      head = in.readNBytes(WASM_MAGIC.length);
    } catch (IOException e) {
      throw new CliException("cannot read module " + path + ": " + e.getMessage(), e);
    }
    if (!Arrays.equals(head, WASM_MAGIC)) {
      throw new CliException(
          "not a WebAssembly module: " + path + " (it does not start with the Wasm magic \\0asm)");
    }
  }

  private static String unsupported(ModuleSpec spec, PolicyModule module, ReviewKind kind) {
    String supported =
        module.kinds().isEmpty()
            ? "nothing"
            : module.kinds().stream()
                .map(k -> k.wireKind() + "s")
                .sorted()
                .collect(Collectors.joining(", "));
    String hint =
        spec.type().equals(ModuleType.WASI)
            ? " (a wasi module must export '" + export(kind) + "')"
            : "";
    return "module '"
        + module.name()
        + "' cannot evaluate "
        + kind.wireKind()
        + "s"
        + hint
        + "; it evaluates "
        + supported;
  }

  private static String export(ReviewKind kind) {
    return switch (kind) {
      case AUTHENTICATION -> "authn";
      case AUTHORIZATION -> "authz";
      case ADMISSION -> "validate";
    };
  }
}
