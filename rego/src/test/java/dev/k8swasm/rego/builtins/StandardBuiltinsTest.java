package dev.k8swasm.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Expected values are what Go (OPA's topdown) produces for the same calls. */
class StandardBuiltinsTest {
  static final Builtins STANDARD =
      Builtins.standard(
          Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456789Z"), ZoneOffset.UTC));

  static JsonNode call(String name, String... args) {
    JsonNode[] values = new JsonNode[args.length];
    for (int i = 0; i < args.length; i++) {
      values[i] = Json.readTree(args[i].getBytes(StandardCharsets.UTF_8));
    }
    return STANDARD.find(name).orElseThrow().call(values);
  }

  static String sprintf(String format, String values) {
    return call("sprintf", Json.writeString(format), values).textValue();
  }

  @Test
  void urlqueryEncodeObjectSortsKeysRepeatsArraysAndRefusesNonStrings() {
    // Go's url.Values.Encode: keys sorted, one key=value per array element, query-escaped
    assertThat(
            call("urlquery.encode_object", "{\"b\": [\"x y\", \"z\"], \"a\": \"1&2\"}").textValue())
        .isEqualTo("a=1%262&b=x+y&b=z");
    assertThatThrownBy(() -> call("urlquery.encode_object", "{\"a\": 1}"))
        .isInstanceOf(BuiltinException.class)
        .hasMessageContaining("values must be strings");
  }

  @Test
  void sprintfFollowsGo() {
    assertThat(sprintf("%v and %s", "[\"a\", 1]")).isEqualTo("a and %!s(int=1)");
    assertThat(sprintf("%d items, %5.2f%%", "[3, 2.5]")).isEqualTo("3 items,  2.50%");
    assertThat(sprintf("%v", "[1.5]")).isEqualTo("1.5");
    assertThat(sprintf("%v", "[1234567.5]")).isEqualTo("1.2345675e+06");
    assertThat(sprintf("%v", "[0.0001]")).isEqualTo("0.0001");
    assertThat(sprintf("%v", "[0.00001]")).isEqualTo("1e-05");
    assertThat(sprintf("%v", "[[\"x\", {\"k\": true}, null]]"))
        .isEqualTo("[\"x\", {\"k\": true}, null]");
    assertThat(sprintf("%q|%x|%X|%05d|%-4d|%+d", "[\"hi\", 255, \"hi\", -42, 7, 3]"))
        .isEqualTo("\"hi\"|ff|6869|-0042|7   |+3");
    assertThat(sprintf("%.2s %e %g", "[\"abc\", 1234.5678, 0.000012]"))
        .isEqualTo("ab 1.234568e+03 1.2e-05");
    assertThat(sprintf("%v %v", "[1]")).isEqualTo("1 %!v(MISSING)");
    assertThat(sprintf("%v", "[1, \"x\"]")).isEqualTo("1%!(EXTRA string=x)");
    assertThat(sprintf("%t", "[true]")).isEqualTo("%!t(string=true)");
  }

  @Property(tries = 200)
  void sprintfWritesIntegersAndStringsAsGoDoes(@ForAll long n, @ForAll String s) {
    // the third value is the integer again: %s of an int is Go's %!s(int=N)
    String values = "[" + n + ", " + Json.writeString(s) + ", " + n + "]";
    assertThat(sprintf("%d/%v/%s", values)).isEqualTo(n + "/" + s + "/%!s(int=" + n + ")");
  }

  @Test
  void semver() {
    assertThat(call("semver.is_valid", "\"1.2.3-rc.1+build.5\"").booleanValue()).isTrue();
    assertThat(call("semver.is_valid", "\"1.2\"").booleanValue()).isFalse();
    assertThat(call("semver.is_valid", "12").booleanValue()).isFalse();
    assertThat(call("semver.compare", "\"1.2.3\"", "\"1.10.0\"").intValue()).isEqualTo(-1);
    assertThat(call("semver.compare", "\"1.0.0\"", "\"1.0.0-rc.1\"").intValue()).isEqualTo(1);
    assertThat(call("semver.compare", "\"1.0.0-alpha.2\"", "\"1.0.0-alpha.10\"").intValue())
        .isEqualTo(-1);
    assertThat(call("semver.compare", "\"1.0.0+a\"", "\"1.0.0+b\"").intValue()).isZero();
    assertThatThrownBy(() -> call("semver.compare", "\"x\"", "\"1.0.0\""))
        .isInstanceOf(BuiltinException.class)
        .hasMessageContaining("is not a valid SemVer");
  }

  @Test
  void time() {
    assertThat(call("time.now_ns").asText()).isEqualTo("1767323045123456789");
    assertThat(call("time.parse_rfc3339_ns", "\"2026-01-02T03:04:05Z\"").asText())
        .isEqualTo("1767323045000000000");
    assertThat(call("time.parse_duration_ns", "\"1h30m\"").asText()).isEqualTo("5400000000000");
    assertThat(call("time.parse_duration_ns", "\"1.5s\"").asText()).isEqualTo("1500000000");
    assertThat(call("time.parse_duration_ns", "\"-300ms\"").asText()).isEqualTo("-300000000");
    assertThatThrownBy(() -> call("time.parse_duration_ns", "\"5 minutes\""))
        .hasMessageContaining("invalid duration");
    assertThat(call("time.date", "1767323045000000000"))
        .isEqualTo(Json.readTree("[2026,1,2]".getBytes()));
    assertThat(call("time.clock", "[1767323045000000000, \"Europe/Paris\"]"))
        .isEqualTo(Json.readTree("[4,4,5]".getBytes()));
    assertThat(call("time.weekday", "1767323045000000000").textValue()).isEqualTo("Friday");
    assertThat(call("time.add_date", "1767323045000000000", "0", "1", "1").asText())
        .isEqualTo("1770087845000000000");
  }

  @Test
  void unitsAndNetworks() {
    assertThat(call("units.parse_bytes", "\"10Mi\"").asText()).isEqualTo("10485760");
    assertThat(call("units.parse_bytes", "\"1.5KB\"").asText()).isEqualTo("1500");
    assertThat(call("units.parse", "\"250m\"").decimalValue()).isEqualByComparingTo("0.25");
    assertThat(call("units.parse", "\"2Gi\"").asText()).isEqualTo("2147483648");
    assertThatThrownBy(() -> call("units.parse_bytes", "\"12 parsecs\""))
        .isInstanceOf(BuiltinException.class);
    assertThat(call("net.cidr_contains", "\"10.0.0.0/8\"", "\"10.1.2.3\"").booleanValue()).isTrue();
    assertThat(call("net.cidr_contains", "\"10.0.0.0/8\"", "\"11.0.0.1\"").booleanValue())
        .isFalse();
    assertThat(call("net.cidr_contains", "\"10.0.0.0/8\"", "\"10.2.0.0/16\"").booleanValue())
        .isTrue();
    assertThat(call("net.cidr_contains", "\"10.2.0.0/16\"", "\"10.0.0.0/8\"").booleanValue())
        .isFalse();
    assertThat(call("net.cidr_contains", "\"fd00::/8\"", "\"fd12::1\"").booleanValue()).isTrue();
    assertThatThrownBy(() -> call("net.cidr_contains", "\"example.com/8\"", "\"10.0.0.1\""))
        .hasMessageContaining("invalid address");
  }

  @Test
  void regexJsonYamlAndEncodings() {
    assertThat(call("regex.split", "\"[,;]\"", "\"a,b;c\""))
        .isEqualTo(Json.readTree("[\"a\",\"b\",\"c\"]".getBytes()));
    assertThat(call("regex.find_n", "\"[0-9]+\"", "\"a1b22c333\"", "2"))
        .isEqualTo(Json.readTree("[\"1\",\"22\"]".getBytes()));
    assertThat(
            call(
                    "regex.template_match",
                    "\"urn:foo:{.*}\"",
                    "\"urn:foo:bar:baz\"",
                    "\"{\"",
                    "\"}\"")
                .booleanValue())
        .isTrue();
    assertThat(call("json.is_valid", "\"{\\\"a\\\":1}\"").booleanValue()).isTrue();
    assertThat(call("json.is_valid", "\"{a\"").booleanValue()).isFalse();
    assertThat(call("json.patch", "{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/b\",\"value\":2}]"))
        .isEqualTo(Json.readTree("{\"a\":1,\"b\":2}".getBytes()));
    assertThat(call("yaml.unmarshal", "\"a: [1, x]\""))
        .isEqualTo(Json.readTree("{\"a\":[1,\"x\"]}".getBytes()));
    assertThat(call("yaml.is_valid", "\"a: [\"").booleanValue()).isFalse();
    assertThat(call("base64url.encode_no_pad", "\"hi?\"").textValue()).isEqualTo("aGk_");
    assertThat(call("hex.decode", "\"6869\"").textValue()).isEqualTo("hi");
    assertThat(call("urlquery.encode", "\"a b&c\"").textValue()).isEqualTo("a+b%26c");
    assertThat(call("urlquery.decode_object", "\"a=1&a=2&b=x\""))
        .isEqualTo(Json.readTree("{\"a\":[\"1\",\"2\"],\"b\":[\"x\"]}".getBytes()));
    assertThat(call("glob.quote_meta", "\"*.example.com\"").textValue())
        .isEqualTo("\\*.example.com");
    assertThat(call("strings.replace_n", "{\"a\":\"1\",\"b\":\"2\"}", "\"abc\"").textValue())
        .isEqualTo("12c");
  }

  @Test
  void wrongOperandsAreReportedByPosition() {
    assertThatThrownBy(() -> call("sprintf", "1", "[]"))
        .isInstanceOf(BuiltinException.class)
        .hasMessage("operand 1 must be string but got number");
    assertThat(STANDARD.names()).contains("sprintf", "time.now_ns", "net.cidr_contains");
    assertThat(Builtins.none().names()).isEmpty();
  }
}
