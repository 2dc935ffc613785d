package dev.k8swasm.wasi.sandbox;

import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Reads a module's bytes from its file or from the spec, within {@code maxModuleBytes}, and checks
 * that they start like a WebAssembly core module.
 */
final class ModuleSource {
  private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d};
  private static final byte[] VERSION_1 = {0x01, 0x00, 0x00, 0x00};
  private static final int HEADER_LENGTH = 8;

  private ModuleSource() {}

  /** The module's bytes, checked for size and header. */
  static byte[] read(ModuleSpec spec) {
    long max = spec.limits().maxModuleBytes();
    byte[] bytes = spec.path().isPresent() ? readFile(spec, spec.path().get(), max) : inline(spec);
    checkSize(spec, bytes.length, max);
    checkHeader(spec, bytes);
    return bytes;
  }

  private static byte[] inline(ModuleSpec spec) {
    return spec.bytes().orElseThrow(() -> new IllegalStateException("spec has no module source"));
  }

  private static byte[] readFile(ModuleSpec spec, Path path, long max) {
    if (!Files.exists(path)) {
      throw LoadFailures.of(
          spec,
          "the file does not exist",
          path.isAbsolute()
              ? "Check the module path"
              : "Check the module path (it is relative, so it was resolved against the working"
                  + " directory: "
                  + path.toAbsolutePath()
                  + ")");
    }
    if (!Files.isRegularFile(path)) {
      throw LoadFailures.of(spec, "not a regular file", "Point the module path at a .wasm file");
    }
    try {
      checkSize(spec, Files.size(path), max);
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw LoadFailures.of(
          spec, "the file cannot be read (" + e + ")", "Check the file's permissions", e);
    }
  }

  private static void checkSize(ModuleSpec spec, long size, long max) {
    if (size > max) {
      throw LoadFailures.of(
          spec,
          "the module is " + size + " bytes, more than the limit of " + max + " bytes",
          "Raise the module size limit (Limits.maxModuleBytes) or use a smaller module");
    }
  }

  private static void checkHeader(ModuleSpec spec, byte[] bytes) {
    String remedy = "Give the path of a .wasm file compiled for wasm32-wasi (WASI preview 1)";
    if (bytes.length < HEADER_LENGTH) {
      throw LoadFailures.of(
          spec,
          "not a WebAssembly module (" + bytes.length + " bytes, shorter than the 8-byte header)",
          remedy);
    }
    if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
      throw LoadFailures.of(
          spec,
          "not a WebAssembly module (it starts with "
              + hex(bytes, 0, 4)
              + "; a WebAssembly module starts with 00 61 73 6d, \"\\0asm\")",
          remedy);
    }
    if (!Arrays.equals(bytes, 4, 8, VERSION_1, 0, 4)) {
      throw LoadFailures.of(
          spec,
          "not a WebAssembly core module of version 1 (version bytes "
              + hex(bytes, 4, 8)
              + "; a WebAssembly component, for example WASI preview 2, is not supported)",
          remedy);
    }
  }

  private static String hex(byte[] bytes, int from, int to) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes, from, to);
  }
}
