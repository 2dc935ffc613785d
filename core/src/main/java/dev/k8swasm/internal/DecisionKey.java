package dev.k8swasm.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.json.Json;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of a cached decision: an HMAC-SHA256 of everything the deciders can read of a review, so
 * that a cache holds 32 bytes per key and never a token. Two reviews get the same key only when
 * their secrets are equal and their documents are equal JSON (same fields and values, whatever the
 * order of object fields); anything else differs but with the negligible probability of an
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
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

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
     * The key of {@code document} (serialised as the library serialises it, then put in canonical
     * form), with {@code secret} (e.g. a bearer token, which then need not be in the document; null
     * for none) hashed in front of it, length-prefixed.
     */
    public DecisionKey key(String secret, Object document) {
      Mac mac = mac();
      if (secret == null) {
        mac.update((byte) 0);
      } else {
        mac.update((byte) 1);
        mac.update(ByteBuffer.allocate(4).putInt(secret.length()).array());
        mac.update(chars(secret));
      }
      StringBuilder canonical = new StringBuilder(256);
      canonical(Json.tree(document), canonical);
      mac.update(chars(canonical));
      return new DecisionKey(mac.doFinal());
    }

    /**
     * The UTF-16 code units of {@code s}, two bytes each: unlike a charset's encoder this never
     * replaces an unpaired surrogate with '?', so different strings never give the same bytes.
     */
    private static byte[] chars(CharSequence s) {
      byte[] bytes = new byte[s.length() * 2];
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        bytes[2 * i] = (byte) (c >>> 8);
        bytes[2 * i + 1] = (byte) c;
      }
      return bytes;
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

    /**
     * Canonical JSON: object fields sorted by name, no blanks, strings quoted as JSON quotes them.
     */
    static void canonical(JsonNode node, StringBuilder out) {
      if (node.isObject()) {
        List<String> names = new ArrayList<>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(null);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          quote(names.get(i), out);
          out.append(':');
          canonical(node.get(names.get(i)), out);
        }
        out.append('}');
      } else if (node.isArray()) {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          canonical(node.get(i), out);
        }
        out.append(']');
      } else if (node.isTextual()) {
        quote(node.textValue(), out);
      } else {
        // numbers, booleans, null (and, never in a review, binary or POJO nodes): their JSON text
        out.append(node);
      }
    }

    private static void quote(String s, StringBuilder out) {
      out.append('"');
      QUOTE.quoteAsString(s, out);
      out.append('"');
    }
  }
}
