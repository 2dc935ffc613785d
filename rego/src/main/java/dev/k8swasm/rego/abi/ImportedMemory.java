package dev.k8swasm.rego.abi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the memory a module imports into a memory the module defines and exports as {@code memory},
 * with the same limits. Modules built by {@code opa build -t wasm} import their memory ({@code
 * env.memory}) and expect the host to create it; the k8s-wasm sandbox instantiates memories itself
 * (to bound, track and snapshot them), so the host hands the module its memory this way. No
 * function, global or table index changes: a memory import only shifts memory indices, and the
 * module has exactly one memory before and after.
 *
 * <p>Works on the binary format directly (sections are copied byte for byte, only the import,
 * memory and export sections are rewritten).
 */
public final class ImportedMemory {
  private static final int IMPORT = 2;
  private static final int MEMORY = 5;
  private static final int EXPORT = 7;
  private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

  private ImportedMemory() {}

  /**
   * The module {@code wasm} with its imported memory defined and exported as {@code memory}, or
   * {@code wasm} itself when it imports no memory.
   *
   * @throws IllegalArgumentException when the binary is malformed, imports more than one memory,
   *     also defines a memory, or exports something other than that memory as {@code memory}
   */
  public static byte[] define(byte[] wasm) {
    if (wasm.length < 8) {
      throw new IllegalArgumentException("not a WebAssembly module (too short)");
    }
    for (int i = 0; i < 8; i++) {
      if (wasm[i] != HEADER[i]) {
        throw new IllegalArgumentException("not a WebAssembly module (bad magic or version)");
      }
    }
    List<Section> sections = new ArrayList<>();
    Reader r = new Reader(wasm, 8);
    while (r.pos < wasm.length) {
      int id = r.u8();
      int size = r.u32();
      int start = r.pos;
      if (size < 0 || start + size > wasm.length) {
        throw new IllegalArgumentException("section " + id + " runs past the end of the module");
      }
      sections.add(new Section(id, start, size));
      r.pos = start + size;
    }
    Section imports = find(sections, IMPORT);
    if (imports == null) {
      return wasm;
    }
    // Rewrite the import section without the memory import.
    Reader ir = new Reader(wasm, imports.start);
    int count = ir.u32();
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    int keptCount = 0;
    byte[] limits = null;
    for (int i = 0; i < count; i++) {
      int entryStart = ir.pos;
      ir.skipName();
      ir.skipName();
      int kind = ir.u8();
      int descStart = ir.pos;
      switch (kind) {
        case 0 -> ir.u32();
        case 1 -> {
          ir.u8();
          ir.skipLimits();
        }
        case 2 -> ir.skipLimits();
        case 3 -> {
          ir.u8();
          ir.u8();
        }
        case 4 -> {
          ir.u8();
          ir.u32();
        }
        default -> throw new IllegalArgumentException("unknown import kind " + kind);
      }
      if (kind == 2) {
        if (limits != null) {
          throw new IllegalArgumentException("it imports more than one memory");
        }
        limits = java.util.Arrays.copyOfRange(wasm, descStart, ir.pos);
      } else {
        kept.write(wasm, entryStart, ir.pos - entryStart);
        keptCount++;
      }
    }
    if (limits == null) {
      return wasm;
    }
    if (find(sections, MEMORY) != null) {
      throw new IllegalArgumentException("it imports a memory and defines one");
    }
    Section exports = find(sections, EXPORT);
    ByteArrayOutputStream exportBody = new ByteArrayOutputStream();
    int exportCount = 0;
    boolean exported = false;
    if (exports != null) {
      Reader er = new Reader(wasm, exports.start);
      exportCount = er.u32();
      int bodyStart = er.pos;
      for (int i = 0; i < exportCount; i++) {
        String name = er.name();
        int kind = er.u8();
        int index = er.u32();
        if (name.equals("memory")) {
          if (kind != 2 || index != 0) {
            throw new IllegalArgumentException("it exports something else as 'memory'");
          }
          exported = true; // re-exports the imported memory, which keeps index 0
        }
      }
      exportBody.write(wasm, bodyStart, exports.start + exports.size - bodyStart);
    }
    if (!exported) {
      byte[] memoryName = "memory".getBytes(StandardCharsets.US_ASCII);
      exportBody.write(memoryName.length);
      exportBody.write(memoryName, 0, memoryName.length);
      exportBody.write(2);
      exportBody.write(0);
      exportCount++;
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream(wasm.length + 32);
    out.write(wasm, 0, 8);
    boolean memoryWritten = false;
    boolean exportWritten = false;
    for (Section s : sections) {
      if (s.id != 0 && !memoryWritten && order(s.id) > order(MEMORY)) {
        writeSection(out, MEMORY, concat(u32(1), limits));
        memoryWritten = true;
      }
      if (s.id != 0 && !exportWritten && order(s.id) > order(EXPORT)) {
        writeSection(out, EXPORT, concat(u32(exportCount), exportBody.toByteArray()));
        exportWritten = true;
      }
      if (s.id == IMPORT) {
        writeSection(out, IMPORT, concat(u32(keptCount), kept.toByteArray()));
      } else if (s.id == EXPORT) {
        writeSection(out, EXPORT, concat(u32(exportCount), exportBody.toByteArray()));
        exportWritten = true;
      } else {
        out.write(s.id);
        out.writeBytes(u32(s.size));
        out.write(wasm, s.start, s.size);
      }
    }
    if (!memoryWritten) {
      writeSection(out, MEMORY, concat(u32(1), limits));
    }
    if (!exportWritten) {
      writeSection(out, EXPORT, concat(u32(exportCount), exportBody.toByteArray()));
    }
    return out.toByteArray();
  }

  /** The position of a section id in the order the binary format prescribes. */
  private static int order(int id) {
    return switch (id) {
      case 1, 2, 3, 4, 5 -> id;
      case 13 -> 6; // tag
      case 6 -> 7; // global
      case 7 -> 8; // export
      case 8 -> 9; // start
      case 9 -> 10; // element
      case 12 -> 11; // data count
      case 10 -> 12; // code
      case 11 -> 13; // data
      default -> 100;
    };
  }

  private static Section find(List<Section> sections, int id) {
    for (Section s : sections) {
      if (s.id == id) {
        return s;
      }
    }
    return null;
  }

  private static void writeSection(ByteArrayOutputStream out, int id, byte[] body) {
    out.write(id);
    out.writeBytes(u32(body.length));
    out.writeBytes(body);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static byte[] u32(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(5);
    long v = value & 0xFFFFFFFFL;
    do {
      int b = (int) (v & 0x7F);
      v >>>= 7;
      out.write(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return out.toByteArray();
  }

  private record Section(int id, int start, int size) {}

  private static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes, int pos) {
      this.bytes = bytes;
      this.pos = pos;
    }

    int u8() {
      if (pos >= bytes.length) {
        throw new IllegalArgumentException("unexpected end of the module");
      }
      return bytes[pos++] & 0xFF;
    }

    int u32() {
      long result = 0;
      int shift = 0;
      while (true) {
        int b = u8();
        result |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 35) {
          throw new IllegalArgumentException("malformed LEB128 number");
        }
      }
      if (result > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("number too large: " + result);
      }
      return (int) result;
    }

    String name() {
      int length = u32();
      if (pos + length > bytes.length) {
        throw new IllegalArgumentException("a name runs past the end of the module");
      }
      String name = new String(bytes, pos, length, StandardCharsets.UTF_8);
      pos += length;
      return name;
    }

    void skipName() {
      name();
    }

    void skipLimits() {
      int flags = u8();
      u32();
      if ((flags & 1) != 0) {
        u32();
      }
    }
  }
}
