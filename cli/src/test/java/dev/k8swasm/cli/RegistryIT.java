package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.k8swasm.oci.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar against a real registry: {@code push} then {@code run} on the reference gives the
 * local file's answer, {@code inspect} shows its metadata, a wrong pinned digest is refused.
 */
class RegistryIT {
  @TempDir Path dir;

  record Proc(int exitCode, String out, String err) {}

  Proc exec(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(K8sWasmIT.jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("K8S_WASM_DEBUG");
    pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("k8s-wasm did not finish within 120 s: " + command);
    }
    return new Proc(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void pushThenRunInspectAndAWrongPin() throws Exception {
    String policy = Cli.examples().resolve("modules/kubewarden/policy_wapc_start.wasm").toString();
    String request =
        Cli.examples().resolve("requests/kubewarden/pod-create-forbidden.json").toString();
    String settings = Cli.examples().resolve("requests/kubewarden/settings-forbid.json").toString();
    try (RegistryServer registry = RegistryServer.plain(dir.resolve("registry"))) {
      String sources =
          Files.writeString(
                  dir.resolve("sources.yml"),
                  "insecure_sources: [\"" + registry.address() + "\"]\n")
              .toString();
      String ref = "registry://" + registry.address() + "/policies/x:v1";

      Proc push = exec("push", policy, ref, "--sources-path", sources);
      assertThat(push.exitCode()).as(push.err()).isZero();
      assertThat(push.out().trim()).startsWith(ref + "@sha256:");

      Proc local = exec("run", policy, "-r", request, "--settings-path", settings);
      Proc remote =
          exec("run", ref, "-r", request, "--settings-path", settings, "--sources-path", sources);
      assertThat(remote.exitCode()).as(remote.err()).isZero();
      assertThat(remote.out()).isEqualTo(local.out()).contains("\"allowed\": false");

      Proc inspect = exec("inspect", ref, "--sources-path", sources);
      assertThat(inspect.exitCode()).as(inspect.err()).isZero();
      assertThat(inspect.out())
          .contains(ref)
          .contains("io.kubewarden.policy.title")
          .contains("k8s-wasm test policy");

      String wrong = ref + "@sha256:" + "f".repeat(64);
      Proc pinned = exec("run", wrong, "-r", request, "--sources-path", sources);
      assertThat(pinned.exitCode()).isEqualTo(1);
      assertThat(pinned.err().lines().filter(l -> l.startsWith("error:")))
          .containsExactly(
              "error: "
                  + wrong
                  + ": manifest sha256:"
                  + "f".repeat(64)
                  + " not found in policies/x (404)");

      Proc policies = exec("policies");
      assertThat(policies.out()).contains(ref + "  sha256:");
    }
  }
}
