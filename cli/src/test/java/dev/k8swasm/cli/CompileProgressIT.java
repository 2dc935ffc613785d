package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first compile of a big module says on stderr what is happening, how long it took and that the
 * next run uses the cache; the next run, served from the cache, says nothing.
 */
class CompileProgressIT {

  static K8sWasmIT.Proc run(Path cacheDir, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dk8swasm.cache.dir=" + cacheDir,
                "-jar",
                K8sWasmIT.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    pb.environment().remove("K8S_WASM_DEBUG");
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("k8s-wasm did not finish: " + command);
    }
    return new K8sWasmIT.Proc(
        p.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  private static byte[] read(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void theFirstCompileOfABigModuleShowsProgressAndTheNextRunIsQuiet(@TempDir Path cache)
      throws Exception {
    Path big = Cli.examples().getParent().resolve("benchmarks/modules/big_validator.wasm");
    String[] args = {
      "run",
      big.toString(),
      "-r",
      Cli.examples().resolve("requests/admission-configmap-create.json").toString()
    };

    K8sWasmIT.Proc first = run(cache, args);

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.err().lines().toList())
        .as(first.toString())
        .hasSize(2)
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .contains("module 'big_validator': compiling 1.1 MB of WebAssembly to JVM"),
            l ->
                assertThat(l)
                    .containsPattern("module 'big_validator': compiled in [0-9.]+ s; cached in ")
                    .contains(cache.toString())
                    .endsWith("so the next run starts at once"));

    K8sWasmIT.Proc second = run(cache, args);

    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.err()).as(second.toString()).isEmpty();
    assertThat(second.out()).isEqualTo(first.out());
  }
}
