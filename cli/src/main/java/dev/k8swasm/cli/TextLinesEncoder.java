package dev.k8swasm.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * Text lines as the command always wrote them: {@code LEVEL Logger - message}, the logger's simple
 * name, then the stack trace of a throwable. (Written here rather than with a pattern layout, whose
 * parser and converters cost the start of every command a few hundred classes.)
 */
final class TextLinesEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String logger = event.getLoggerName();
    StringBuilder s = new StringBuilder(128);
    s.append(event.getLevel())
        .append(' ')
        .append(logger.substring(logger.lastIndexOf('.') + 1))
        .append(" - ")
        .append(event.getFormattedMessage())
        .append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      s.append(ThrowableProxyUtil.asString(t)).append(CoreConstants.LINE_SEPARATOR);
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }
}
