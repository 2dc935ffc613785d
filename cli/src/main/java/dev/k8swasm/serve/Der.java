package dev.k8swasm.serve;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The little DER (ASN.1 distinguished encoding) the server needs: writing certificates for the
 * self-signed pair and wrapping PKCS#1 / SEC1 private keys into PKCS#8, and reading a structure
 * back. Only definite lengths; no general ASN.1 support.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int BOOLEAN = 0x01;

  private static final DateTimeFormatter UTC_FORMAT =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_FORMAT =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {}

  /** A tag-length-value element. */
  static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >>> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    return tlv(SEQUENCE, concat(elements));
  }

  static byte[] set(byte[]... elements) {
    return tlv(SET, concat(elements));
  }

  static byte[] integer(BigInteger value) {
    return tlv(INTEGER, value.toByteArray());
  }

  static byte[] integer(long value) {
    return integer(BigInteger.valueOf(value));
  }

  static byte[] bool(boolean value) {
    return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0)});
  }

  static byte[] nullValue() {
    return new byte[] {NULL, 0};
  }

  static byte[] octetString(byte[] content) {
    return tlv(OCTET_STRING, content);
  }

  /** A BIT STRING of whole bytes. */
  static byte[] bitString(byte[] content) {
    return tlv(BIT_STRING, concat(new byte[] {0}, content));
  }

  /** A BIT STRING of {@code bits} (bit 0 = most significant bit of the first byte). */
  static byte[] namedBits(int... bits) {
    int highest = 0;
    for (int b : bits) {
      highest = Math.max(highest, b);
    }
    byte[] content = new byte[highest / 8 + 1];
    for (int b : bits) {
      content[b / 8] |= (byte) (0x80 >>> (b % 8));
    }
    int unused = 7 - highest % 8;
    return tlv(BIT_STRING, concat(new byte[] {(byte) unused}, content));
  }

  static byte[] utf8(String s) {
    return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
  }

  /** Context-specific, constructed, explicit tag {@code [n]}. */
  static byte[] explicit(int n, byte[] element) {
    return tlv(0xa0 | n, element);
  }

  /** Context-specific, primitive, implicit tag {@code [n]}. */
  static byte[] implicit(int n, byte[] content) {
    return tlv(0x80 | n, content);
  }

  /** A time as X.509 wants it: UTCTime until 2049, GeneralizedTime from 2050. */
  static byte[] time(ZonedDateTime t) {
    ZonedDateTime utc = t.withZoneSameInstant(ZoneOffset.UTC).withNano(0);
    if (utc.getYear() >= 1950 && utc.getYear() < 2050) {
      return tlv(UTC_TIME, UTC_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(
        GENERALIZED_TIME, GENERALIZED_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
  }

  /** An OBJECT IDENTIFIER from its dotted form. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeBase128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      writeBase128(out, Long.parseLong(arcs[i]));
    }
    return tlv(OID, out.toByteArray());
  }

  private static void writeBase128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }

  /** One element read back: its tag and its content bytes. */
  record Element(int tag, byte[] content) {
    /** The elements inside a constructed element. */
    List<Element> children() {
      return readAll(content);
    }

    /** The whole element re-encoded. */
    byte[] encoded() {
      return tlv(tag, content);
    }
  }

  /**
   * Reads the consecutive elements of {@code der}.
   *
   * @throws IllegalArgumentException when it is not well-formed DER
   */
  static List<Element> readAll(byte[] der) {
    List<Element> out = new ArrayList<>();
    int i = 0;
    while (i < der.length) {
      if (i + 2 > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      int tag = der[i++] & 0xff;
      int len = der[i++] & 0xff;
      if (len >= 0x80) {
        int bytes = len & 0x7f;
        if (bytes == 0 || bytes > 4 || i + bytes > der.length) {
          throw new IllegalArgumentException("unsupported DER length");
        }
        len = 0;
        for (int k = 0; k < bytes; k++) {
          len = (len << 8) | (der[i++] & 0xff);
        }
        if (len < 0) {
          throw new IllegalArgumentException("unsupported DER length");
        }
      }
      if (i + len > der.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      byte[] content = new byte[len];
      System.arraycopy(der, i, content, 0, len);
      i += len;
      out.add(new Element(tag, content));
    }
    return out;
  }

  /** Reads exactly one element. */
  static Element read(byte[] der) {
    List<Element> all = readAll(der);
    if (all.size() != 1) {
      throw new IllegalArgumentException("expected one DER element, found " + all.size());
    }
    return all.get(0);
  }
}
