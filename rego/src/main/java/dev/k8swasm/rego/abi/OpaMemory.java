package dev.k8swasm.rego.abi;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import dev.k8swasm.module.FailureReason;
import dev.k8swasm.module.ModuleException;
import java.io.ByteArrayOutputStream;

/**
 * Values in and out of an OPA module's memory through the ABI's own functions: {@code opa_malloc}
 * and {@code opa_json_parse} to load a JSON document, {@code opa_json_dump} and a NUL-terminated
 * string to read one back. Every pointer the guest returns is bounds-checked.
 */
public final class OpaMemory {
  private static final int CHUNK = 4096;

  private OpaMemory() {}

  /**
   * Copies {@code json} into the guest's heap and parses it there.
   *
   * @return the address of the parsed value
   * @throws ModuleException BAD_OUTPUT when the module's parser rejects the document
   */
  public static int loadJson(String module, Instance instance, byte[] json, String what) {
    int addr = malloc(instance, json.length);
    instance.memory().write(addr, json);
    int value = call(instance, "opa_json_parse", addr, json.length);
    if (value == 0) {
      throw new ModuleException(
          module,
          FailureReason.BAD_REQUEST,
          "the module's JSON parser rejected " + what + " (" + json.length + " bytes)");
    }
    return value;
  }

  /** Allocates {@code size} bytes on the guest's heap. */
  public static int malloc(Instance instance, int size) {
    return call(instance, "opa_malloc", size);
  }

  /** The JSON text of the value at {@code addr} ({@code opa_json_dump}), at most {@code max}. */
  public static byte[] dumpJson(String module, Instance instance, int addr, long max) {
    int text = call(instance, "opa_json_dump", addr);
    return cString(module, instance.memory(), text, max);
  }

  /** Calls an export that returns one i32. */
  public static int call(Instance instance, String export, long... args) {
    long[] result = instance.export(export).apply(args);
    return (int) result[0];
  }

  /**
   * The NUL-terminated string at {@code addr}.
   *
   * @throws ModuleException BAD_OUTPUT when it starts or runs outside memory, OUTPUT_LIMIT when it
   *     is longer than {@code max} bytes
   */
  public static byte[] cString(String module, Memory memory, int addr, long max) {
    long size = (long) memory.pages() * 65536L;
    if (addr <= 0 || addr >= size) {
      throw new ModuleException(
          module,
          FailureReason.BAD_OUTPUT,
          "the module returned the address " + Integer.toUnsignedString(addr) + ", outside memory");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long pos = addr;
    while (pos < size) {
      int n = (int) Math.min(CHUNK, size - pos);
      byte[] chunk = memory.readBytes((int) pos, n);
      for (int i = 0; i < n; i++) {
        if (chunk[i] == 0) {
          out.write(chunk, 0, i);
          checkMax(module, out.size(), max);
          return out.toByteArray();
        }
      }
      out.write(chunk, 0, n);
      checkMax(module, out.size(), max);
      pos += n;
    }
    throw new ModuleException(
        module, FailureReason.BAD_OUTPUT, "the module's result string runs past the end of memory");
  }

  private static void checkMax(String module, long size, long max) {
    if (size > max) {
      throw new ModuleException(
          module,
          FailureReason.OUTPUT_LIMIT,
          "the result is more than " + max + " bytes (Limits.maxOutputBytes)");
    }
  }
}
