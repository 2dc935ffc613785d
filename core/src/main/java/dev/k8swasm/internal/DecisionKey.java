package dev.k8swasm.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Writer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of a cached decision: an HMAC-SHA256 of everything the deciders can read of a review, so
 * that a cache holds 32 bytes per key and never a token. Two reviews get the same key only when
 * their secrets are equal and their documents serialise to the same JSON once map entries and
 * object fields are sorted by name; anything else differs but with the negligible probability of an
 * HMAC-SHA256 collision. Not part of the supported API.
 *
 * <p>Keys come from a {@link Hasher}, which holds a random secret key of its own (as
 * kube-apiserver's token cache does): the keys of one hasher cannot be compared with another's, and
 * a memory dump does not allow testing guessed tokens against them.
 */
public final class DecisionKey {
  private final byte[] digest;
  private final int hash;

  private DecisionKey(byte[] digest) {
    this.digest = digest;
    this.hash = Arrays.hashCode(digest);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecisionKey k && Arrays.equals(digest, k.digest);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Shows nothing of what was hashed. */
  @Override
  public String toString() {
    return "DecisionKey[hmac-sha256]";
  }

  /** Makes keys with a random secret key of its own. Thread-safe. */
  public static final class Hasher {
    private static final String ALGORITHM = "HmacSHA256";

    /**
     * Writes the wire types as the library does (records in component order, the same inclusion
     * rules), with map entries and the fields of JSON trees sorted by name, so that the same
     * document gives the same text whatever the order its maps were filled in.
     */
    private static final ObjectWriter CANONICAL =
        JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build()
            .writer();

    private final SecretKeySpec secretKey;
    private final Mac prototype;

    /** A hasher with a fresh random key. */
    public Hasher() {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      this.secretKey = new SecretKeySpec(key, ALGORITHM);
      this.prototype = newMac();
    }

    /**
     * The key of {@code document} in canonical form (map entries and JSON object fields sorted by
     * name), with {@code secret} (e.g. a bearer token, which then need not be in the document; null
     * for none) hashed in front of it, prefixed with its length. The text is hashed while it is
     * written, in an encoding where different texts never give the same bytes, and never kept.
     */
    public DecisionKey key(String secret, Object document) {
      Mac mac = mac();
      MacWriter out = new MacWriter(mac);
      if (secret == null) {
        mac.update((byte) 0);
      } else {
        mac.update((byte) 1);
        int n = secret.length();
        mac.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        out.write(secret, 0, n);
      }
      try {
        CANONICAL.writeValue(out, document);
        out.flush();
      } catch (IOException e) {
        // the writer itself never fails: a document that cannot be serialised is a caller's bug
        throw new IllegalArgumentException(
            "cannot serialise " + document.getClass().getName() + " for a cache key", e);
      }
      return new DecisionKey(mac.doFinal());
    }

    private Mac mac() {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException e) {
        return newMac();
      }
    }

    private Mac newMac() {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(secretKey);
        return mac;
      } catch (GeneralSecurityException e) {
        // every Java SE runtime has HmacSHA256
        throw new IllegalStateException(ALGORITHM + " is not available", e);
      }
    }
  }

  /**
   * Feeds what is written to a {@link Mac}, one character after the other: an ASCII character as
   * its one byte, any other UTF-16 code unit (lone surrogates included) as 0xFF and its two bytes.
   * Decoding is unambiguous, so different texts never give the same bytes (which a charset encoder
   * does not promise: it writes every unpaired surrogate as '?').
   */
  private static final class MacWriter extends Writer {
    private final Mac mac;
    private final byte[] buffer = new byte[1536];
    private int size;

    MacWriter(Mac mac) {
      this.mac = mac;
    }

    private void put(char c) {
      if (size > buffer.length - 3) {
        mac.update(buffer, 0, size);
        size = 0;
      }
      if (c < 0x80) {
        buffer[size++] = (byte) c;
      } else {
        buffer[size++] = (byte) 0xFF;
        buffer[size++] = (byte) (c >>> 8);
        buffer[size++] = (byte) c;
      }
    }

    @Override
    public void write(char[] chars, int off, int len) {
      for (int i = off; i < off + len; i++) {
        put(chars[i]);
      }
    }

    @Override
    public void write(String s, int off, int len) {
      for (int i = off; i < off + len; i++) {
        put(s.charAt(i));
      }
    }

    @Override
    public void flush() {
      mac.update(buffer, 0, size);
      size = 0;
    }

    @Override
    public void close() {
      flush();
    }
  }
}
