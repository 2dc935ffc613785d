package dev.k8swasm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's class-data sharing archive, without Docker: the Dockerfile's {@code RUN java ...}
 * step and its {@code ENTRYPOINT} run here with the image's paths mapped to this checkout: the step
 * writes the archive, and the entry point's JVM maps it.
 */
class DockerfileCdsIT {
  @TempDir Path dir;

  private String local(String text, Path archive) {
    Path root = ReadmeCommandsIT.root();
    return text.replace("/opt/k8s-wasm/k8s-wasm.jsa", archive.toString())
        .replace("/opt/k8s-wasm/k8s-wasm.jar", K8sWasmIT.jar().toString())
        .replace("/opt/k8s-wasm/modules/", root.resolve("examples/modules") + "/")
        .replace("/opt/k8s-wasm/requests/", root.resolve("examples/requests") + "/");
  }

  private static int run(List<String> command, Path log) throws Exception {
    List<String> c = new ArrayList<>(command);
    c.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p =
        new ProcessBuilder(c)
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    p.getOutputStream().close();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish: " + c);
    }
    return p.exitValue();
  }

  @Test
  void theBuildStepWritesTheArchiveAndTheEntryPointMapsIt() throws Exception {
    String docker =
        Files.readString(ReadmeCommandsIT.root().resolve("deploy/Dockerfile")).replace("\\\n", " ");
    Path archive = dir.resolve("k8s-wasm.jsa");

    Matcher step = Pattern.compile("(?m)^RUN (java .*?) > /dev/null").matcher(docker);
    assertThat(step.find()).as("a RUN java ... step").isTrue();
    List<String> build = List.of(local(step.group(1), archive).trim().split("\\s+"));
    assertThat(build).contains("-XX:+VerifySharedSpaces", "-Dk8swasm.cache.dir=off");
    Path buildLog = dir.resolve("build.log");
    assertThat(run(build, buildLog)).as(Files.readString(buildLog)).isZero();
    assertThat(archive).isNotEmptyFile();

    Matcher entry = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(docker);
    assertThat(entry.find()).isTrue();
    List<String> start = new ArrayList<>();
    for (JsonNode arg : Json.reader().readTree(local(entry.group(1), archive))) {
      start.add(arg.asText());
    }
    assertThat(start).contains("-XX:SharedArchiveFile=" + archive);
    Path classes = dir.resolve("classes.log");
    start.add(start.indexOf("-jar"), "-Xlog:class+load=info:file=" + classes + ":none");
    start.addAll(List.of("serve", "--help"));
    Path startLog = dir.resolve("start.log");
    assertThat(run(start, startLog)).as(Files.readString(startLog)).isZero();
    assertThat(Files.readString(classes))
        .contains("dev.k8swasm.cli.K8sWasm source: shared objects file");
  }
}
