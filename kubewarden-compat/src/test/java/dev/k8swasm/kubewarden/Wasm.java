package dev.k8swasm.kubewarden;

import java.io.ByteArrayOutputStream;

/** Byte-level helpers for test modules. */
final class Wasm {
  private Wasm() {}

  /** {@code module} without its custom sections. */
  static byte[] withoutCustomSection(byte[] module) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(module, 0, 8);
    int pos = 8;
    while (pos < module.length) {
      int start = pos;
      int id = module[pos++];
      long size = 0;
      int shift = 0;
      int b;
      do {
        b = module[pos++] & 0xff;
        size |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      int end = pos + (int) size;
      if (id != 0) {
        out.write(module, start, end - start);
      }
      pos = end;
    }
    return out.toByteArray();
  }
}
