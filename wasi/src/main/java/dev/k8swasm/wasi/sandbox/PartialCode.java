package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.RawSection;
import com.dylibso.chicory.wasm.types.SectionId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Decodes the code section of a module for a few functions only: the bodies of the other functions
 * are replaced, byte for byte in a copy of the section, by an empty body ({@code end}) before
 * Chicory's parser decodes it. Function bodies are length-prefixed, so skipping one costs nothing;
 * decoding all of them is most of the time a cold JVM spends parsing a megabyte-sized module.
 */
final class PartialCode {
  private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  /** An empty body: size 2, no locals, {@code end}. */
  private static final byte[] EMPTY_BODY = {0x02, 0x00, 0x0b};

  private PartialCode() {}

  /**
   * The code section of {@code module} with the bodies of the functions {@code keep} (indexes in
   * the function index space, where the {@code importedFunctions} imports come first) decoded and
   * every other body empty; null when the module has no code section or an index is out of range.
   *
   * @throws RuntimeException when the module is malformed
   */
  static CodeSection decode(byte[] module, Set<Integer> keep, int importedFunctions) {
    RawSection[] raw = new RawSection[SectionId.CODE + 1];
    Parser.builder()
        .includeSectionId(SectionId.TYPE)
        .includeSectionId(SectionId.CODE)
        .build()
        .parseWithoutDecoding(
            new ByteArrayInputStream(module), s -> raw[(int) s.sectionId()] = (RawSection) s);
    if (raw[SectionId.CODE] == null) {
      return null;
    }
    byte[] code = keepOnly(raw[SectionId.CODE].contents(), keep, importedFunctions);
    if (code == null) {
      return null;
    }
    ByteArrayOutputStream synthetic = new ByteArrayOutputStream(code.length + 64);
    synthetic.writeBytes(HEADER);
    if (raw[SectionId.TYPE] != null) {
      section(synthetic, SectionId.TYPE, raw[SectionId.TYPE].contents());
    }
    section(synthetic, SectionId.CODE, code);
    CodeSection[] decoded = {null};
    Parser.builder()
        .withValidation(false)
        .includeSectionId(SectionId.TYPE)
        .includeSectionId(SectionId.CODE)
        .build()
        .parse(
            new ByteArrayInputStream(synthetic.toByteArray()),
            s -> {
              if (s instanceof CodeSection c) {
                decoded[0] = c;
              }
            });
    return decoded[0];
  }

  /** The code section {@code contents} with every body but those of {@code keep} emptied. */
  static byte[] keepOnly(byte[] contents, Set<Integer> keep, int importedFunctions) {
    ByteBuffer in = ByteBuffer.wrap(contents);
    long count = readUnsigned(in);
    for (int index : keep) {
      if (index < importedFunctions || index - (long) importedFunctions >= count) {
        return null;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length / 8 + 64);
    writeUnsigned(out, count);
    for (long i = 0; i < count; i++) {
      int start = in.position();
      long size = readUnsigned(in);
      int end = Math.addExact(in.position(), Math.toIntExact(size));
      if (end > contents.length) {
        throw new IllegalArgumentException("function body " + i + " runs past the code section");
      }
      if (keep.contains((int) (i + importedFunctions))) {
        out.write(contents, start, end - start);
      } else {
        out.writeBytes(EMPTY_BODY);
      }
      in.position(end);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException("bytes after the last function body");
    }
    return out.toByteArray();
  }

  private static void section(ByteArrayOutputStream out, int id, byte[] contents) {
    out.write(id);
    writeUnsigned(out, contents.length);
    out.writeBytes(contents);
  }

  private static long readUnsigned(ByteBuffer in) {
    long result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = in.get() & 0xff;
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("LEB128 number longer than 5 bytes");
  }

  private static void writeUnsigned(ByteArrayOutputStream out, long value) {
    long v = value;
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v == 0 ? b : b | 0x80);
    } while (v != 0);
  }
}
