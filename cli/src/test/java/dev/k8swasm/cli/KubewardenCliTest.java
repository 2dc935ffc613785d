package dev.k8swasm.cli;

import static dev.k8swasm.cli.Cli.module;
import static dev.k8swasm.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code k8s-wasm run} and {@code inspect} with Kubewarden policies, compared with what {@code
 * kwctl run} prints: the AdmissionResponse (inside an AdmissionReview when that was the request),
 * exit 0 whether allowed or not.
 */
class KubewardenCliTest {
  static final String START = module("kubewarden/policy_wapc_start.wasm");
  static final String INIT = module("kubewarden/policy_wapc_init.wasm");
  static final String NOMETA = module("kubewarden/policy_wapc_nometa.wasm");
  static final String WASI = module("kubewarden/policy_wasi.wasm");

  static String request(String name) {
    return Cli.examples().resolve("requests/kubewarden").resolve(name).toString();
  }

  /**
   * The AdmissionResponse of the answer, on one line as kwctl prints it: the answer itself for a
   * bare AdmissionRequest, else the response of the AdmissionReview (the answer has the shape of
   * the request, as for every module type).
   */
  static String kwctl(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).as(r.toString()).endsWith("\n");
    JsonNode answer = r.json();
    if (answer.path("kind").asText().equals("AdmissionReview")) {
      assertThat(answer.has("request")).as("the request is not echoed").isFalse();
      answer = answer.path("response");
    }
    return Json.writeString(answer);
  }

  static final String OWNER_PATCH =
      Base64.getEncoder()
          .encodeToString(
              "[{\"op\":\"add\",\"path\":\"/metadata/labels/owner\",\"value\":\"k8s-wasm\"}]"
                  .getBytes());

  @ParameterizedTest
  @ValueSource(strings = {"policy_wapc_start", "policy_wapc_init", "policy_wasi"})
  void printsTheAdmissionResponseLikeKwctl(String policy) {
    String path = module("kubewarden/" + policy + ".wasm");
    assertThat(
            kwctl(
                run(
                    "run",
                    path,
                    "-r",
                    request("pod-request.json"),
                    "--settings-path",
                    request("settings-mutate.json"))))
        .isEqualTo(
            "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800004\",\"allowed\":true,\"patch\":\""
                + OWNER_PATCH
                + "\",\"patchType\":\"JSONPatch\"}");
    // a whole AdmissionReview: answered with an AdmissionReview holding kwctl's AdmissionResponse
    assertThat(
            kwctl(
                run(
                    "run",
                    path,
                    "--request-path",
                    request("pod-create-forbidden.json"),
                    "--settings-json",
                    "{\"forbiddenLabels\":[\"forbidden\"]}")))
        .isEqualTo(
            "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800003\",\"allowed\":false,"
                + "\"status\":{\"message\":\"label forbidden is forbidden\"}}");
  }

  @Test
  void guestFailuresAreAnswersUnlessFailOnError() {
    Cli.Result r =
        run(
            "run",
            INIT,
            "-r",
            request("pod-create.json"),
            "--settings-json",
            "{\"failWith\":\"boom\"}");
    assertThat(kwctl(r))
        .isEqualTo(
            "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":false,\"status\":"
                + "{\"message\":\"internal server error: Guest call failure: boom\",\"code\":500}}");
    Cli.Result failing =
        run(
            "run",
            WASI,
            "-r",
            request("pod-create.json"),
            "--settings-json",
            "{\"failWith\":\"boom\"}",
            "--fail-on-error");
    assertThat(failing.exitCode()).isEqualTo(1);
    assertThat(failing.out()).contains("internal server error: program exited with code Some(1)");
    assertThat(failing.err())
        .startsWith("error: module evaluation failed:")
        .contains("--fail-on-error");
  }

  @Test
  void invalidSettingsAreReportedWithThePolicysMessage() {
    Cli.Result r =
        run(
            "run",
            START,
            "-r",
            request("pod-create.json"),
            "--settings-json",
            "{\"rejectCode\":\"x\"}");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "error: module 'policy_wapc_start': the policy rejected its settings: rejectCode must"
                + " be an integer [INVALID_SETTINGS]\n");
  }

  @Test
  void hostCapabilitiesAreAllGrantedByDefaultAsInKwctl() {
    String dns = "{\"dnsLookup\":\"example.com\"}";
    // no flag: every capability (kwctl's --allowed-host-capabilities defaults to *)
    String replayed =
        kwctl(
            run(
                "run",
                START,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                dns,
                "--replay-host-capabilities-interactions",
                request("session-dns.yml")));
    assertThat(replayed).contains("\"warnings\":[\"dns:example.com=93.184.215.14\"]");
    // the flag replaces the default: only what it lists
    JsonNode denied =
        Json.readTree(
            kwctl(
                    run(
                        "run",
                        START,
                        "-r",
                        request("pod-create.json"),
                        "--settings-json",
                        dns,
                        "--allowed-host-capabilities",
                        "oci/*,kubernetes/can_i",
                        "--replay-host-capabilities-interactions",
                        request("session-dns.yml")))
                .getBytes());
    assertThat(denied.path("warnings").get(0).asText())
        .isEqualTo(
            "dns-error:Policy has not been granted access to the 'net/v1/dns_lookup_host' host"
                + " capability. The violation has been reported.");
    // the old name of the flag still works
    assertThat(
            kwctl(
                run(
                    "run",
                    START,
                    "-r",
                    request("pod-create.json"),
                    "--settings-json",
                    dns,
                    "--allow-host-capability",
                    "net/*",
                    "--replay-host-capabilities-interactions",
                    request("session-dns.yml"))))
        .isEqualTo(replayed);
    Cli.Result bad =
        run(
            "run",
            START,
            "-r",
            request("pod-create.json"),
            "--allowed-host-capabilities",
            "oci/v1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains(
            "invalid host capability pattern 'oci/v1': not a complete capability path; use"
                + " 'oci/v1/*'");
    String context =
        kwctl(
            run(
                "run",
                WASI,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                "{\"contextResource\":{\"api_version\":\"v1\",\"kind\":\"Namespace\",\"name\":\"default\"}}",
                "--allow-context-aware",
                "--kubeconfig",
                "no-such-kubeconfig"));
    // granted, but there is no cluster to read: the policy gets a clear error (ClusterCliTest
    // runs it against an API server)
    assertThat(context)
        .contains(
            "context error: Callback evaluation failure: kubeconfig no-such-kubeconfig does not"
                + " exist");
  }

  static final String IMAGE_DIGEST = module("kubewarden/image_digest.wasm");
  static final String UNIQUE_INGRESS = module("kubewarden/unique_ingress.wasm");

  /**
   * Must hold: a policy whose metadata has no hostCapabilities, calling oci/v1/manifest_digest, run
   * with a replayed session and no flag, answers as kwctl does (the call goes through).
   */
  @Test
  void manifestDigestFromAReplayedSessionWithoutAnyFlag() {
    String answer =
        kwctl(
            run(
                "run",
                IMAGE_DIGEST,
                "-r",
                request("pod-create.json"),
                "--replay-host-capabilities-interactions",
                request("session-manifest-digest.yml")));
    assertThat(answer)
        .isEqualTo(
            "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true,\"warnings\":"
                + "[\"digest:nginx:1.27=sha256:5ea2b0f8c4e3bd1e4c5a6e1f3c2d7b9a0e8f6d4c2b1a09f8e7d6c5b4a3928170\"]}");
    // narrowed by the flag, as kwctl --allowed-host-capabilities net/*
    assertThat(
            kwctl(
                run(
                    "run",
                    IMAGE_DIGEST,
                    "-r",
                    request("pod-create.json"),
                    "--allowed-host-capabilities",
                    "net/*",
                    "--replay-host-capabilities-interactions",
                    request("session-manifest-digest.yml"))))
        .contains("\"allowed\":false")
        .contains(
            "cannot resolve nginx:1.27: Policy has not been granted access to the"
                + " 'oci/v1/manifest_digest' host capability. The violation has been reported.");
  }

  /**
   * kwctl's own unique-ingress sessions replayed into our unique_ingress policy: kwctl's answers
   * with --allow-context-aware; without it the Kubernetes resources are not granted, as in kwctl.
   */
  @Test
  void contextAwareReplayNeedsAllowContextAware() {
    for (String[] c : new String[][] {{"duplicate", "false"}, {"no-duplicate", "true"}}) {
      String answer =
          kwctl(
              run(
                  "run",
                  UNIQUE_INGRESS,
                  "-r",
                  request("kwctl/ingress.json"),
                  "--allow-context-aware",
                  "--replay-host-capabilities-interactions",
                  request("kwctl/context-aware-unique-ingress-" + c[0] + ".yml")));
      assertThat(answer).as(c[0]).contains("\"allowed\":" + c[1]);
    }
    assertThat(
            kwctl(
                run(
                    "run",
                    UNIQUE_INGRESS,
                    "-r",
                    request("kwctl/ingress.json"),
                    "--replay-host-capabilities-interactions",
                    request("kwctl/context-aware-unique-ingress-duplicate.yml"))))
        .contains("\"allowed\":false")
        .contains(
            "cannot check that the hosts are unique: Policy has not been granted access to"
                + " Kubernetes networking.k8s.io/v1/Ingress resources. The violation has been"
                + " reported.");
    // --allow-context-aware grants resources, not capabilities: a list without kubernetes/*
    // refuses the call (kwctl's test_run_ctx_aware with --allowed-host-capabilities oci/*)
    assertThat(
            kwctl(
                run(
                    "run",
                    UNIQUE_INGRESS,
                    "-r",
                    request("kwctl/ingress.json"),
                    "--allow-context-aware",
                    "--allowed-host-capabilities",
                    "oci/*",
                    "--replay-host-capabilities-interactions",
                    request("kwctl/context-aware-unique-ingress-duplicate.yml"))))
        .contains(
            "Policy has not been granted access to the 'kubernetes/list_resources_all' host"
                + " capability");
  }

  @Test
  void recordThenReplay(@TempDir Path dir) throws Exception {
    Path session = dir.resolve("session.yml");
    String settings = "{\"dnsLookup\":\"localhost\"}";
    String recorded =
        kwctl(
            run(
                "run",
                INIT,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                settings,
                "--allow-host-capability",
                "net/v1/dns_lookup_host",
                "--record-host-capabilities-interactions",
                session.toString()));
    assertThat(recorded).contains("\"warnings\":[\"dns:localhost=");
    assertThat(Files.readString(session))
        .startsWith("- type: Exchange\n  request: |\n    !DNSLookupHost\n    host: localhost\n");
    // replayed: same answer without asking the resolver (the session holds the answer)
    Files.writeString(
        session,
        Files.readString(session).replaceAll("\"ips\":\\[[^]]*]", "\"ips\":[\"10.9.8.7\"]"));
    String replayed =
        kwctl(
            run(
                "run",
                INIT,
                "-r",
                request("pod-create.json"),
                "--settings-json",
                settings,
                "--allow-host-capability",
                "*",
                "--replay-host-capabilities-interactions",
                session.toString()));
    assertThat(replayed).contains("\"warnings\":[\"dns:localhost=10.9.8.7\"]");
  }

  @Test
  void mutationsNeedAMutatingPolicy() {
    String settings = "{\"addLabels\":{\"owner\":\"k8s-wasm\"}}";
    assertThat(
            kwctl(
                run("run", NOMETA, "-r", request("pod-create.json"), "--settings-json", settings)))
        .contains("\"allowed\":false")
        .contains(
            "The policy attempted to mutate the request, but it is currently configured to not"
                + " allow mutations.");
    assertThat(
            kwctl(
                run(
                    "run",
                    NOMETA,
                    "-r",
                    request("pod-create.json"),
                    "--settings-json",
                    settings,
                    "--mutating")))
        .contains("\"patch\":\"" + OWNER_PATCH + "\"");
    assertThat(
            kwctl(run("run", START, "-r", request("pod-delete.json"), "--settings-json", settings)))
        .contains("Incoming object is null, which happens only with DELETE operations");
  }

  @Test
  void executionModeAndTypeDetection() {
    Cli.Result wrongMode =
        run("run", START, "-r", request("pod-create.json"), "--execution-mode", "wasi");
    assertThat(wrongMode.exitCode()).isEqualTo(1);
    assertThat(wrongMode.err()).contains("it does not fit the Kubewarden WASI execution mode");
    assertThat(run("run", START, "-r", request("pod-create.json"), "--execution-mode", "opa").err())
        .contains("it does not fit the OPA Wasm ABI");
    Cli.Result wasiFlags =
        run(
            "run",
            START,
            "-r",
            request("pod-create.json"),
            "--type",
            "wasi",
            "--allow-host-capability",
            "*");
    assertThat(wasiFlags.exitCode()).isEqualTo(2);
    assertThat(wasiFlags.err()).contains("only apply to Kubewarden policies");
    Cli.Result configFlags =
        run(
            "run",
            "--config",
            Cli.config("admission.yaml"),
            "-r",
            request("pod-create.json"),
            "--allow-context-aware");
    assertThat(configFlags.exitCode()).isEqualTo(2);
    assertThat(configFlags.err()).contains("--allow-context-aware only apply to a single MODULE");
    // a module of the WASI contract is still run as before
    Cli.Result contract =
        run("run", module("magic_validator.wasm"), "-r", request("pod-create.json"));
    assertThat(contract.exitCode()).as(contract.toString()).isZero();
    assertThat(contract.json().path("kind").asText()).isEqualTo("AdmissionReview");
    // OPA detection
    Path opa =
        Cli.examples()
            .getParent()
            .resolve("kubewarden-compat/src/test/resources/modules/opa_like.wasm");
    Cli.Result rego = run("run", opa.toString(), "-r", request("pod-create.json"));
    assertThat(rego.exitCode()).isEqualTo(1);
    assertThat(rego.err()).contains("it does not fit the OPA Wasm ABI");
    // other kinds of request
    Cli.Result token = run("run", START, "-r", Cli.request("tokenreview-magic.json"));
    assertThat(token.exitCode()).isEqualTo(1);
    assertThat(token.err()).contains("cannot evaluate TokenReviews");
  }

  @Test
  void rawPoliciesRunWithRawAsKwctlRunsThem(@TempDir Path dir) throws Exception {
    // kwctl's raw request file: the document under "request"
    Path wrapped =
        Files.writeString(
            dir.resolve("raw.json"),
            "{\"request\": {\"uid\": \"raw-1\", \"object\": {\"metadata\": {\"labels\":"
                + " {\"forbidden\": \"1\"}}}}}");

    assertThat(
            kwctl(
                run(
                    "run",
                    START,
                    "--raw",
                    "-r",
                    wrapped.toString(),
                    "--settings-json",
                    "{\"forbiddenLabels\":[\"forbidden\"]}")))
        .isEqualTo(
            "{\"uid\":\"raw-1\",\"allowed\":false,"
                + "\"status\":{\"message\":\"label forbidden is forbidden\"}}");

    // a bare document is sent as it is; a mutation is a patch against it
    Path bare = Files.writeString(dir.resolve("bare.yaml"), "uid: raw-2\nobject: {metadata: {}}\n");
    Cli.Result mutated =
        run(
            "run",
            START,
            "--raw",
            "-r",
            bare.toString(),
            "--settings-json",
            "{\"addLabels\":{\"owner\":\"x\"}}",
            "-o",
            "pretty");
    assertThat(mutated.exitCode()).as(mutated.toString()).isZero();
    assertThat(mutated.out())
        .startsWith("Decision:  allowed\nPatch (JSONPatch, ")
        .contains("  add /metadata = {\"labels\":{\"owner\":\"x\"}}\n");

    // a failing raw policy answers with code 500: --fail-on-error has nothing to act on
    Cli.Result usage = run("run", START, "--raw", "--fail-on-error", "-r", bare.toString());
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("--fail-on-error does not apply to --raw");
  }

  @Test
  void inspect() {
    Cli.Result text = run("inspect", START);
    assertThat(text.exitCode()).as(text.toString()).isZero();
    assertThat(text.out())
        .contains(
            "Type:      kubewarden policy, execution mode kubewarden-wapc (detected from its metadata)")
        .contains("__guest_call  func (i32, i32) -> i32")
        .contains(
            "wapc.__host_call                  func (i32, i32, i32, i32, i32, i32, i32, i32) -> i32")
        .contains("Memory:    2 pages initial (128 KiB), no maximum, defined, exported")
        .contains(
            "Kubewarden metadata:\n"
                + "  title                    k8s-wasm test policy\n"
                + "  description              Exercises the Kubewarden ABI\n"
                + "  author                   k8s-wasm\n"
                + "  license                  Apache-2.0\n"
                + "  mutating                 true\n"
                + "  background audit         true\n"
                + "  context aware resources  v1/Namespace\n"
                + "  execution mode           kubewarden-wapc\n"
                + "  protocol version         v1\n"
                + "  policy type              kubernetes\n"
                + "Annotations:\n"
                + "  io.kubewarden.policy.title        k8s-wasm test policy\n")
        .contains("  io.kubewarden.policy.version      0.1.0\n")
        .contains(
            "Rules:\n" + "  - apiGroups:\n" + "    - \"\"\n" + "    apiVersions:\n" + "    - v1\n");
    Cli.Result yaml = run("inspect", START, "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.toString()).isZero();
    assertThat(Json.readTree(yaml.out().getBytes()))
        .isEqualTo(Json.readTree(run("inspect", START, "-o", "json").out().getBytes()));
    assertThat(yaml.out()).contains("\nmetadata:\n  protocolVersion: v1\n");
    JsonNode json = Json.readTree(run("inspect", WASI, "-o", "json").out().getBytes());
    assertThat(json.path("type").asText()).isEqualTo("kubewarden");
    assertThat(json.path("executionMode").asText()).isEqualTo("wasi");
    assertThat(json.path("metadata").path("mutating").asBoolean()).isTrue();
    assertThat(json.path("imports").get(0).path("module").asText()).isEqualTo("host");
    assertThat(json.path("imports").get(0).path("signature").asText())
        .isEqualTo("(i32, i32, i32, i32, i32, i32, i32, i32) -> i32");
    JsonNode nometa = Json.readTree(run("inspect", NOMETA, "--output", "json").out().getBytes());
    assertThat(nometa.path("detectedFrom").asText()).isEqualTo("no metadata; exports __guest_call");
    assertThat(nometa.has("metadata")).isFalse();
    Cli.Result contract = run("inspect", module("magic_authenticator.wasm"));
    assertThat(contract.out())
        .contains("Type:      wasi (k8s-wasm module contract), evaluates TokenReview");
    Cli.Result missing = run("inspect", "no/such/module.wasm");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: module file not found: no/such/module.wasm\n");
    assertThat(run("inspect", START, "-o", "xml").exitCode()).isEqualTo(2);
  }
}
