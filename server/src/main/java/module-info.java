/**
 * An embeddable webhook server for kube-apiserver: {@link dev.k8swasm.server.WebhookServer}. Only
 * {@code dev.k8swasm.server} is exported; TLS material handling ({@code dev.k8swasm.server.tls}) is
 * internal.
 */
module dev.k8swasm.server {
  requires transitive dev.k8swasm.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.slf4j;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.http2.server;
  requires org.eclipse.jetty.alpn.server;
  requires org.eclipse.jetty.alpn.java.server;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.util;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires io.opentelemetry.api;
  requires io.opentelemetry.context;
  // CEL for policy groups' expressions: one jar without a module name (automatic module)
  requires cel;

  exports dev.k8swasm.server;
}
