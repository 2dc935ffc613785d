package dev.k8swasm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.admission.AdmissionReview;
import dev.k8swasm.authn.TokenReview;
import dev.k8swasm.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the exact bytes each scenario's module receives, for the V8 and native references: the
 * input envelopes {@code {"request":<review>}} of the WASI contract modules (S1, S2, S3, S7; what
 * {@code WasiPolicyModule} builds from the same review objects) and the waPC {@code validate}
 * payload {@code {"request":<AdmissionRequest>,"settings":{}}} of S4, which the WASI-mode policy of
 * S4W reads on stdin, and the waPC {@code validate} payloads of the real policies of S8D and S8R
 * (with their settings).
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.k8swasm.benchmarks.Inputs OUTPUT_DIR}
 */
public final class Inputs {
  private Inputs() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/target/inputs");
    Files.createDirectories(out);
    AdmissionReview configMap = Scenario.admissionReview("admission-configmap-create.json");
    envelope(out.resolve("S1.json"), Json.write(configMap));
    envelope(out.resolve("S3.json"), Json.write(configMap));
    TokenReview token =
        Json.convert(Fixtures.read(Fixtures.request("tokenreview-magic.json")), TokenReview.class);
    envelope(out.resolve("S2.json"), Json.write(token));
    AdmissionReview large = Json.convert(Fixtures.largeConfigMap(1 << 20), AdmissionReview.class);
    envelope(out.resolve("S7.json"), Json.write(large));
    JsonNode pod = Json.toTree(Scenario.admissionReview("kubewarden/pod-create.json"));
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.set("request", pod.get("request"));
    payload.putObject("settings");
    Files.write(out.resolve("S4.json"), Json.write(payload));
    Files.write(out.resolve("S4W.json"), Json.write(payload));
    for (Scenario s8 : new Scenario[] {Scenario.S8D, Scenario.S8R}) {
      ObjectNode s8Payload = JsonNodeFactory.instance.objectNode();
      s8Payload.set("request", Json.toTree(Scenario.s8Review()).get("request"));
      s8Payload.set("settings", Scenario.s8Settings(s8));
      Files.write(out.resolve(s8 + ".json"), Json.write(s8Payload));
    }
    System.out.println("wrote the benchmark inputs to " + out);
  }

  private static void envelope(Path file, byte[] request) throws IOException {
    byte[] prefix = "{\"request\":".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[prefix.length + request.length + 1];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    System.arraycopy(request, 0, bytes, prefix.length, request.length);
    bytes[bytes.length - 1] = '}';
    Files.write(file, bytes);
  }
}
