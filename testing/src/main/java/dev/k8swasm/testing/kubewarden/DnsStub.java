package dev.k8swasm.testing.kubewarden;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/** A stubbed DNS lookup ({@link HostCapabilityStubs#dnsLookup}). */
public final class DnsStub {
  private final HostCapabilityStubs owner;
  private final String host;

  DnsStub(HostCapabilityStubs owner, String host) {
    this.owner = owner;
    this.host = host;
  }

  /** The host has these addresses (none: an empty list). */
  public HostCapabilityStubs returns(String... addresses) {
    List<String> ips = List.of(addresses);
    return finish(r -> ips);
  }

  /** The lookup fails with {@code message}. */
  public HostCapabilityStubs fails(String message) {
    return finish(Stub.failing(message));
  }

  private HostCapabilityStubs finish(Function<JsonNode, Object> answer) {
    owner.add(
        new Stub(
            Stub.DNS, Stub.DNS + " \"" + host + "\"", r -> r.asText().equals(host), answer, -1));
    return owner;
  }
}
