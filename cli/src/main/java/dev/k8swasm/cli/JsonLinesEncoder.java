package dev.k8swasm.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (RFC 3339, UTC), {@code level}, {@code logger},
 * {@code message}, then the event's SLF4J key-value pairs as fields of their own (numbers and
 * booleans kept as such; a pair named like one of the first four is prefixed with {@code field_}),
 * and {@code error} with the stack trace when the event carries a throwable.
 */
final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {
  private static final Set<String> RESERVED = Set.of("timestamp", "level", "logger", "message");
  private static final byte[] NONE = new byte[0];
  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          String key = RESERVED.contains(kv.key) ? "field_" + kv.key : kv.key;
          g.writeFieldName(key);
          Object v = kv.value;
          if (v == null) {
            g.writeNull();
          } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
          } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            g.writeNumber(((Number) v).longValue());
          } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
          } else {
            g.writeString(String.valueOf(v));
          }
        }
      }
      IThrowableProxy t = event.getThrowableProxy();
      if (t != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(t));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }
}
