package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CodeSection;
import com.dylibso.chicory.wasm.types.CustomSection;
import com.dylibso.chicory.wasm.types.DataCountSection;
import com.dylibso.chicory.wasm.types.DataSection;
import com.dylibso.chicory.wasm.types.ElementSection;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionSection;
import com.dylibso.chicory.wasm.types.GlobalSection;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.MemorySection;
import com.dylibso.chicory.wasm.types.Section;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.StartSection;
import com.dylibso.chicory.wasm.types.TableSection;
import com.dylibso.chicory.wasm.types.TagSection;
import com.dylibso.chicory.wasm.types.TypeSection;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a module with Chicory's runtime compiler, once, through the {@link CompileCache} when
 * one is configured. A cache entry that cannot be used (it loads but is not valid code) is removed
 * and the module compiled again.
 *
 * <p>When the cache holds a module's compiled code and its {@link ModuleTraits}, loading skips the
 * expensive part of parsing: the code section (the function bodies, which only the compiler and the
 * interpreter need) is not decoded and the module is not validated again (it was when it was
 * compiled; the entry is found by the digest of the module's bytes). When the compiled code runs
 * some functions in Chicory's interpreter (functions too large for a JVM method), only their bodies
 * are decoded ({@link PartialCode}); when which ones is not known, every body is decoded, still
 * without validation.
 */
final class Compilation {
  private static final Logger LOG = LoggerFactory.getLogger(Compilation.class);
  private static final int CODE_SECTION = 10;
  private static final int LAST_SECTION = 13;

  private Compilation() {}

  /**
   * {@code bytes} parsed without function bodies and without validation, for a module whose
   * compiled code is cached under {@code key} (the digest of {@code bytes}); null when that does
   * not work out. The function bodies are empty placeholders.
   */
  static WasmModule parseWithoutCode(byte[] bytes, String key) {
    return parseWithoutCode(bytes, key, Set.of());
  }

  /**
   * {@code bytes} parsed without validation and with only the function bodies of {@code
   * interpreted} (indexes in the function index space, imports first) decoded, for a module whose
   * compiled code is cached under {@code key} (the digest of {@code bytes}) and runs exactly those
   * functions in the interpreter; null when that does not work out. The other function bodies are
   * empty placeholders: compiled code never reads them.
   */
  static WasmModule parseWithoutCode(byte[] bytes, String key, Set<Integer> interpreted) {
    try {
      Parser.Builder parser = Parser.builder().withValidation(false);
      for (int id = 0; id <= LAST_SECTION; id++) {
        if (id != CODE_SECTION) {
          parser.includeSectionId(id);
        }
      }
      WasmModule.Builder module = WasmModule.builder().withValidation(false).withDigest(key);
      int[] functions = {0};
      ImportSection[] imports = {null};
      parser
          .build()
          .parse(
              new ByteArrayInputStream(bytes),
              section -> {
                if (section instanceof ImportSection i) {
                  imports[0] = i;
                }
                add(module, section, functions);
              });
      CodeSection code;
      if (interpreted.isEmpty()) {
        // Chicory checks that every function has a body; compiled code never reads them.
        CodeSection.Builder placeholders = CodeSection.builder();
        for (int i = 0; i < functions[0]; i++) {
          placeholders.addFunctionBody(new FunctionBody(List.of(), List.of()));
        }
        code = placeholders.build();
      } else {
        int imported = 0;
        if (imports[0] != null) {
          for (int i = 0; i < imports[0].importCount(); i++) {
            if (imports[0].getImport(i).importType() == ExternalType.FUNCTION) {
              imported++;
            }
          }
        }
        code = PartialCode.decode(bytes, interpreted, imported);
        if (code == null || code.functionBodyCount() != functions[0]) {
          return null;
        }
      }
      return module.setCodeSection(code).build();
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      LOG.debug("fast load from the compile cache not possible: {}", e.toString());
      return null;
    }
  }

  /**
   * {@code bytes} parsed with every function body but without validation, for a module whose
   * compiled code is cached under {@code key}: it was validated before it was compiled, and the
   * entry is found by the digest of these bytes. Null when that does not work out.
   */
  static WasmModule parseUnvalidated(byte[] bytes, String key) {
    try {
      WasmModule.Builder module = WasmModule.builder().withValidation(false).withDigest(key);
      int[] functions = {0};
      Parser.builder()
          .withValidation(false)
          .build()
          .parse(new ByteArrayInputStream(bytes), section -> add(module, section, functions));
      return module.build();
    } catch (RuntimeException | StackOverflowError | AssertionError e) {
      LOG.debug("fast load from the compile cache not possible: {}", e.toString());
      return null;
    }
  }

  private static void add(WasmModule.Builder module, Section s, int[] functions) {
    switch (s.sectionId()) {
      case SectionId.CUSTOM -> {
        CustomSection custom = (CustomSection) s;
        module.addCustomSection(custom.name(), custom);
      }
      case SectionId.TYPE -> module.setTypeSection((TypeSection) s);
      case SectionId.IMPORT -> module.setImportSection((ImportSection) s);
      case SectionId.FUNCTION -> {
        FunctionSection section = (FunctionSection) s;
        functions[0] = section.functionCount();
        module.setFunctionSection(section);
      }
      case SectionId.TABLE -> module.setTableSection((TableSection) s);
      case SectionId.MEMORY -> module.setMemorySection((MemorySection) s);
      case SectionId.GLOBAL -> module.setGlobalSection((GlobalSection) s);
      case SectionId.EXPORT -> module.setExportSection((ExportSection) s);
      case SectionId.START -> module.setStartSection((StartSection) s);
      case SectionId.ELEMENT -> module.setElementSection((ElementSection) s);
      case SectionId.DATA -> module.setDataSection((DataSection) s);
      case SectionId.DATA_COUNT -> module.setDataCountSection((DataCountSection) s);
      case SectionId.TAG -> module.setTagSection((TagSection) s);
      case SectionId.CODE -> module.setCodeSection((CodeSection) s);
      default -> module.addIgnoredSection(s.sectionId());
    }
  }

  /**
   * The compiled code of {@code module} (parsed by {@link #parseWithoutCode}) from {@code cache},
   * never compiling; null when the cache cannot provide it.
   */
  static Function<Instance, Machine> fromCache(WasmModule module, CompileCache cache) {
    Cache readOnly =
        new Cache() {
          @Override
          public byte[] get(String key) {
            byte[] content = cache.get(key);
            if (content == null) {
              throw new IllegalStateException("no compile cache entry for " + key);
            }
            return content;
          }

          @Override
          public void putIfAbsent(String key, byte[] data) {
            throw new IllegalStateException("no compile cache entry for " + key);
          }
        };
    try {
      return MachineFactoryCompiler.builder(module).withCache(readOnly).compile();
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("fast load from the compile cache failed: {}", e.toString());
      return null;
    }
  }

  /** Compiles {@code module}, through {@code cache} when present. */
  static Function<Instance, Machine> compile(
      String name, WasmModule module, Optional<CompileCache> cache) {
    if (cache.isEmpty() || module.digest() == null) {
      return MachineFactoryCompiler.builder(module).compile();
    }
    try {
      return MachineFactoryCompiler.builder(module).withCache(cache.get()).compile();
    } catch (RuntimeException | LinkageError e) {
      LOG.info(
          "module '{}': the compile cache entry cannot be used ({}); compiling again",
          name,
          e.toString());
      cache.get().remove(module.digest());
      return MachineFactoryCompiler.builder(module).withCache(cache.get()).compile();
    }
  }
}
