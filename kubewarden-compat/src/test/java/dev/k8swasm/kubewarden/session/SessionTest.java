package dev.k8swasm.kubewarden.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.k8swasm.json.Json;
import dev.k8swasm.kubewarden.capabilities.HostCapabilityException;
import dev.k8swasm.kubewarden.capabilities.SessionReplay;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kwctl's session format: parsing, writing, recording and replaying. */
class SessionTest {
  static final Path EXAMPLE = findExample();

  static Path findExample() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("examples/requests/kubewarden/session-dns.yml"))) {
      dir = dir.getParent();
    }
    return dir.resolve("examples/requests/kubewarden/session-dns.yml");
  }

  static CallbackRequest dns(String host) {
    return new CallbackRequest(
        "DNSLookupHost", JsonNodeFactory.instance.objectNode().put("host", host));
  }

  @Test
  void readsKwctlSessions() {
    List<Exchange> exchanges = SessionFile.read(EXAMPLE);
    assertThat(exchanges).hasSize(1);
    assertThat(exchanges.get(0).request()).isEqualTo(dns("example.com"));
    assertThat(exchanges.get(0).success()).isTrue();
    assertThat(exchanges.get(0).payload()).contains("{\"ips\":[\"93.184.215.14\"]}");
    List<Exchange> documented =
        SessionFile.parse(
            "---\n"
                + "- type: Exchange\n"
                + "  request: |\n"
                + "    !KubernetesGetResource\n"
                + "    api_version: /v1\n"
                + "    kind: Pod\n"
                + "    name: p-testing\n"
                + "    namespace: local\n"
                + "    disable_cache: true\n"
                + "  response:\n"
                + "    type: Success\n"
                + "    payload: '{\"apiVersion\":\"\",\"kind\":\"Pod\"}'\n"
                + "- type: Exchange\n"
                + "  request: |\n"
                + "    !OciManifestDigest\n"
                + "    image: busybox:1.36\n"
                + "  response:\n"
                + "    type: Error\n"
                + "    message: 'manifest unknown'\n",
            "docs");
    assertThat(documented.get(0).request().type()).isEqualTo("KubernetesGetResource");
    assertThat(documented.get(0).request().fields().get("disable_cache").asBoolean()).isTrue();
    assertThat(documented.get(0).request().fields().get("api_version").asText()).isEqualTo("/v1");
    assertThat(documented.get(1).success()).isFalse();
    assertThat(documented.get(1).message()).contains("manifest unknown");
  }

  @Test
  void writesWhatItReads() {
    ObjectNode canI = JsonNodeFactory.instance.objectNode();
    canI.set(
        "request",
        Json.readTree(
            "{\"user\":\"alice\",\"resource_attributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}"
                .getBytes()));
    canI.put("disable_cache", false);
    List<Exchange> exchanges =
        List.of(
            Exchange.success(dns("example.com"), "{\"ips\":[\"93.184.215.14\"]}".getBytes()),
            Exchange.error(
                new CallbackRequest("KubernetesCanI", canI), "it's forbidden: \"x\"\nline 2"),
            Exchange.success(dns("a'b"), "with 'quotes' and \"double\" and\nnewline".getBytes()));
    String yaml = SessionFile.format(exchanges);
    assertThat(yaml)
        .startsWith(
            "- type: Exchange\n"
                + "  request: |\n"
                + "    !DNSLookupHost\n"
                + "    host: example.com\n"
                + "  response:\n"
                + "    type: Success\n"
                + "    payload: '{\"ips\":[\"93.184.215.14\"]}'\n");
    assertThat(SessionFile.parse(yaml, "written")).isEqualTo(exchanges);
    assertThat(SessionFile.format(List.of())).isEqualTo("[]\n");
    assertThat(SessionFile.parse("[]\n", "empty")).isEmpty();
  }

  @Test
  void trickyValuesSurviveTheRoundTrip() {
    List<Exchange> exchanges = new java.util.ArrayList<>();
    for (String host :
        List.of(
            "123", "true", "null", "yes", "~", "a: b", "#x", "", " lead", "- x", "'q'", "\"d\"",
            "é")) {
      exchanges.add(Exchange.success(dns(host), host.getBytes(StandardCharsets.UTF_8)));
      exchanges.add(Exchange.error(dns(host), host));
    }
    assertThat(SessionFile.parse(SessionFile.format(exchanges), "tricky")).isEqualTo(exchanges);
  }

  @Test
  void badSessions() {
    for (String[] bad :
        new String[][] {
          {"a: b", "expected a YAML list of exchanges"},
          {"- type: Other", "exchange 1: expected 'type: Exchange'"},
          {"- type: Exchange\n  request: 3", "'request' must be a tagged YAML document"},
          {
            "- type: Exchange\n  request: \"host: x\"\n  response: {type: Success, payload: x}",
            "no type tag"
          },
          {
            "- type: Exchange\n  request: \"!DNSLookupHost\\nhost: x\"\n  response: {type: Maybe}",
            "Success or Error"
          },
          {
            "- type: Exchange\n  request: \"!DNSLookupHost\\nhost: x\"\n  response: {type: Success}",
            "needs a 'payload'"
          },
          {
            "- type: Exchange\n  request: \"!DNSLookupHost [x]\"\n  response: {type: Success, payload: x}",
            "tagged YAML mapping"
          },
          {"- [", "not valid YAML"},
        }) {
      assertThatThrownBy(() -> SessionFile.parse(bad[0], "bad.yml"))
          .as(bad[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad.yml")
          .hasMessageContaining(bad[1]);
    }
    assertThatThrownBy(() -> SessionFile.read(Path.of("no/such/session.yml")))
        .hasMessageContaining("session file not found: no/such/session.yml");
  }

  @Test
  void replaysInOrder() {
    SessionReplay replay =
        new SessionReplay(
            List.of(
                Exchange.success(dns("a"), "1".getBytes()),
                Exchange.error(dns("b"), "no such host"),
                Exchange.success(dns("c"), "3".getBytes())),
            "s.yml");
    assertThat(replay.answer(dns("a"))).isEqualTo("1".getBytes());
    assertThatThrownBy(() -> replay.answer(dns("b")))
        .isInstanceOf(HostCapabilityException.class)
        .hasMessage("no such host");
    // other fields: answered anyway (and logged)
    assertThat(replay.answer(dns("other"))).isEqualTo("3".getBytes());
    assertThatThrownBy(() -> replay.answer(dns("d")))
        .hasMessage(
            "replay session s.yml has no answer for host call 4 (DNSLookupHost): only 3"
                + " exchange(s) were recorded");
    assertThat(replay.used()).isEqualTo(3);
    SessionReplay other =
        new SessionReplay(List.of(Exchange.success(dns("a"), "1".getBytes())), "s.yml");
    assertThatThrownBy(
            () ->
                other.answer(
                    new CallbackRequest("OciManifest", JsonNodeFactory.instance.objectNode())))
        .hasMessage(
            "replay session s.yml: host call 1 is OciManifest but the session recorded DNSLookupHost");
  }

  @Test
  void recordsToAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("session.yml");
    SessionRecorder recorder = SessionRecorder.toFile(file);
    assertThat(Files.readString(file)).isEqualTo("[]\n");
    recorder.record(Exchange.success(dns("x"), "{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(SessionFile.read(file)).isEqualTo(recorder.exchanges());
    assertThat(recorder.file()).contains(file);
    assertThat(SessionReplay.fromFile(file).size()).isEqualTo(1);
    assertThat(SessionRecorder.inMemory().file()).isEqualTo(Optional.empty());
  }

  @Test
  void requestsIgnoreNullFieldsWhenCompared() {
    ObjectNode a = JsonNodeFactory.instance.objectNode().put("name", "n");
    ObjectNode b = a.deepCopy().putNull("namespace");
    assertThat(
            new CallbackRequest("KubernetesGetResource", a)
                .sameAs(new CallbackRequest("KubernetesGetResource", b)))
        .isTrue();
    assertThat(new CallbackRequest("KubernetesGetResource", a).sameAs(new CallbackRequest("X", a)))
        .isFalse();
    assertThatThrownBy(() -> new CallbackRequest("Bad Type", a))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new CallbackRequest("Empty", JsonNodeFactory.instance.objectNode()).toYaml())
        .isEqualTo("!Empty\n{}\n");
    assertThat(CallbackRequest.parse("!Empty\n{}\n").fields()).isEmpty();
  }
}
