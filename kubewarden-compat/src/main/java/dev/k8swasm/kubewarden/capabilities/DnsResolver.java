package dev.k8swasm.kubewarden.capabilities;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves {@code net/v1/dns_lookup_host}: the IP addresses of a host name. The default ({@link
 * #jdk()}) asks the JDK resolver ({@link InetAddress#getAllByName}).
 */
@FunctionalInterface
public interface DnsResolver {

  /**
   * The addresses of {@code host} as text ({@code 93.184.215.14}, {@code 2606:2800::1}).
   *
   * @throws HostCapabilityException when the lookup fails
   */
  List<String> lookupHost(String host);

  /** The JDK's resolver (system configuration, JVM DNS cache). */
  static DnsResolver jdk() {
    return host -> {
      if (host.isEmpty()) {
        throw new HostCapabilityException("cannot resolve an empty host name");
      }
      try {
        List<String> ips = new ArrayList<>();
        for (InetAddress address : InetAddress.getAllByName(host)) {
          ips.add(address.getHostAddress());
        }
        return ips;
      } catch (UnknownHostException e) {
        throw new HostCapabilityException("failed to lookup address information for " + host, e);
      } catch (SecurityException e) {
        throw new HostCapabilityException("DNS lookup of " + host + " not permitted", e);
      }
    };
  }
}
