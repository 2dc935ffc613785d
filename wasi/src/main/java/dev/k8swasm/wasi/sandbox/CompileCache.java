package dev.k8swasm.wasi.sandbox;

import com.dylibso.chicory.compiler.Cache;
import com.fasterxml.jackson.databind.JsonNode;
import dev.k8swasm.module.ModuleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent compile cache: what Chicory's compiler produced for a module (a jar of classes),
 * stored in a directory under the module's digest, so that loading the same module again, in this
 * or a later process, skips compilation.
 *
 * <p>Where: the spec option {@code compileCache} (a directory, or {@code false} to disable it),
 * else the system property {@code k8swasm.cache.dir} (a directory, or {@code off}), else {@code
 * $XDG_CACHE_HOME/k8s-wasm} or {@code ~/.cache/k8s-wasm}. Entries live in a subdirectory per
 * Chicory version, as compiled code is only valid for the version that produced it.
 *
 * <p>Entries are written to a temporary file and renamed into place, so readers never see a partial
 * entry, and carry a SHA-256 of their content: an entry that does not match (truncated, corrupted)
 * is deleted and ignored, and the module is compiled again. An unusable directory only disables
 * caching, with one warning.
 *
 * <p>The cache holds JVM classes that are loaded into this process, so it is trusted as ssh trusts
 * {@code ~/.ssh}: the directories it creates are private ({@code 0700}), and a directory or entry
 * that is not owned by the current user (or root) or that group or others may write is refused: one
 * warning per path, and the load goes on without the cache.
 */
final class CompileCache implements Cache {
  /** The spec option naming the cache directory, or {@code false}. */
  static final String OPTION = "compileCache";

  /** The system property naming the cache directory, or {@code off}. */
  static final String PROPERTY = "k8swasm.cache.dir";

  private static final Logger LOG = LoggerFactory.getLogger(CompileCache.class);
  private static final byte[] MAGIC = {'k', '8', 'w', 'c', 0, 0, 0, 1};
  private static final int HASH_LENGTH = 32;
  private static final String CHICORY_VERSION = chicoryVersion();
  private static volatile boolean warned;
  private static final Set<Path> REFUSED = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final java.util.Map<String, Optional<Set<Integer>>> interpreted =
      new ConcurrentHashMap<>();
  private volatile boolean refused;

  private CompileCache(Path directory) {
    this.directory = directory.resolve("chicory-" + CHICORY_VERSION);
  }

  /**
   * The cache in {@code directory}, created private when missing; empty (after a warning) when the
   * directory, or its subdirectory for this Chicory version, is not safe to load classes from or
   * cannot be created.
   */
  static Optional<CompileCache> open(Path directory) {
    CompileCache cache = new CompileCache(directory);
    for (Path dir : List.of(directory, cache.directory)) {
      try {
        PrivateFiles.createDirectories(dir);
        Optional<String> problem = PrivateFiles.problem(dir);
        if (problem.isPresent()) {
          refuse(dir, problem.get());
          return none();
        }
      } catch (IOException | RuntimeException e) {
        warnUnwritable(dir, e);
        return none();
      }
    }
    return Optional.of(cache);
  }

  /** Whether {@code file} (which exists) may be read; refuses the whole cache when not. */
  private boolean trusted(Path file) {
    if (refused) {
      return false;
    }
    try {
      Optional<String> problem = PrivateFiles.problem(file);
      if (problem.isEmpty()) {
        return true;
      }
      refuse(file, problem.get());
    } catch (IOException | RuntimeException e) {
      LOG.debug("compile cache: cannot check {}: {}", file, e.toString());
    }
    refused = true;
    return false;
  }

  private static void refuse(Path path, String problem) {
    if (REFUSED.add(path.toAbsolutePath())) {
      LOG.warn(
          "compile cache: not using {}: {}; modules are compiled without the cache. Make it"
              + " private to you (chown to your user; chmod go-w, or remove it to have it"
              + " recreated with mode 700), or set the system property {} to another directory"
              + " or to 'off'",
          path,
          problem,
          PROPERTY);
    }
  }

  /** The cache {@code spec} asks for, or empty when caching is disabled. */
  static Optional<CompileCache> forSpec(ModuleSpec spec) {
    JsonNode option = spec.options().get(OPTION);
    if (option != null && !option.isNull()) {
      if (option.isBoolean()) {
        return option.booleanValue() ? open(defaultDirectory()) : none();
      }
      String text = option.asText().trim();
      return disabled(text) ? none() : open(Path.of(text));
    }
    String property = System.getProperty(PROPERTY);
    if (property != null) {
      String text = property.trim();
      return disabled(text) ? none() : open(Path.of(text));
    }
    return open(defaultDirectory());
  }

  private static Optional<CompileCache> none() {
    return Optional.empty();
  }

  private static boolean disabled(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return t.isEmpty() || t.equals("off") || t.equals("false") || t.equals("none");
  }

  /** {@code $XDG_CACHE_HOME/k8s-wasm}, else {@code ~/.cache/k8s-wasm}. */
  static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "k8s-wasm");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "k8s-wasm");
  }

  /** The directory entries are stored in. */
  Path directory() {
    return directory;
  }

  /** The file of {@code key}. */
  Path file(String key) {
    StringBuilder name = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      name.append(Character.isLetterOrDigit(c) || c == '-' ? c : '_');
    }
    return directory.resolve(name.append(".jar").toString());
  }

  @Override
  public byte[] get(String key) {
    Path file = file(key);
    if (!Files.exists(file) || !trusted(file)) {
      return null;
    }
    byte[] stored;
    try {
      stored = Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.debug("compile cache: cannot read {}: {}", file, e.toString());
      return null;
    }
    byte[] content = verified(stored);
    if (content == null) {
      LOG.info("compile cache: ignoring corrupt entry {}; the module is compiled again", file);
      delete(file);
      delete(traitsFile(key));
    }
    return content;
  }

  @Override
  public void putIfAbsent(String key, byte[] data) {
    interpreted.put(key, InterpretedFunctions.in(data));
    Path file = file(key);
    if (refused || Files.exists(file)) {
      return;
    }
    write(file, data);
  }

  /** Writes {@code data}, framed, to {@code file}: to a temporary file renamed into place. */
  private void write(Path file, byte[] data) {
    Path temp = null;
    try {
      PrivateFiles.createDirectories(directory);
      temp = Files.createTempFile(directory, ".entry", ".tmp");
      Files.write(temp, framed(data));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
    } catch (IOException | RuntimeException e) {
      warnUnwritable(directory, e);
    } finally {
      if (temp != null) {
        delete(temp);
      }
    }
  }

  private static void warnUnwritable(Path directory, Exception e) {
    if (!warned) {
      warned = true;
      LOG.warn(
          "compile cache: cannot write to {} ({}); modules are compiled on every load. Set the"
              + " system property {} to a writable directory, or to 'off'",
          directory,
          e.toString(),
          PROPERTY);
    }
  }

  /** Removes the entry of {@code key} (and its traits), e.g. after it turned out to be unusable. */
  void remove(String key) {
    if (refused) {
      return;
    }
    delete(file(key));
    delete(traitsFile(key));
  }

  /**
   * The key Chicory's compiler uses for a module: its SHA-256 digest, as Chicory's parser forms it.
   */
  static String key(byte[] module) {
    return "sha-256:" + java.util.Base64.getEncoder().encodeToString(sha256(module));
  }

  private Path traitsFile(String key) {
    Path jar = file(key);
    String name = jar.getFileName().toString();
    return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".traits");
  }

  /**
   * What the cache knows about the module of {@code key} beyond its compiled code: its {@link
   * ModuleTraits} and which of its functions run in the interpreter (their code is needed at run
   * time). Empty when unknown, unreadable or corrupt.
   */
  Optional<CachedTraits> traits(String key) {
    Path file = traitsFile(key);
    if (!Files.exists(file) || !Files.exists(file(key)) || !trusted(file)) {
      return Optional.empty();
    }
    try {
      byte[] content = verified(Files.readAllBytes(file));
      if (content == null) {
        delete(file);
        return Optional.empty();
      }
      Properties p = new Properties();
      p.load(new java.io.ByteArrayInputStream(content));
      String obstacle = p.getProperty("snapshotObstacle", "");
      ModuleTraits moduleTraits =
          new ModuleTraits(
              Boolean.parseBoolean(p.getProperty("tablesMutable")),
              obstacle.isEmpty() ? null : obstacle);
      boolean usesInterpreter = Boolean.parseBoolean(p.getProperty("interpreted", "true"));
      String list = p.getProperty("interpretedFunctions");
      if (!usesInterpreter) {
        return Optional.of(new CachedTraits(moduleTraits, Set.of(), true));
      }
      if (list == null || list.isBlank()) {
        return Optional.of(new CachedTraits(moduleTraits, Set.of(), false));
      }
      Set<Integer> functions = new java.util.TreeSet<>();
      for (String index : list.split(",")) {
        functions.add(Integer.parseInt(index.trim()));
      }
      return Optional.of(new CachedTraits(moduleTraits, Set.copyOf(functions), true));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Records {@code traits} of the module of {@code key}, whose compiled code is in the cache. */
  void putTraits(String key, ModuleTraits traits) {
    if (refused || !Files.exists(file(key))) {
      return;
    }
    // known when this process compiled the module; else read from the entry (traits lost)
    Optional<Set<Integer>> functions =
        interpreted.computeIfAbsent(
            key,
            k -> {
              byte[] content = get(k);
              return content == null ? null : InterpretedFunctions.in(content);
            });
    if (functions == null) {
      return;
    }
    Properties p = new Properties();
    p.setProperty("tablesMutable", Boolean.toString(traits.tablesMutable()));
    p.setProperty("snapshotObstacle", traits.snapshotObstacle().orElse(""));
    p.setProperty("interpreted", Boolean.toString(functions.map(f -> !f.isEmpty()).orElse(true)));
    functions
        .filter(f -> !f.isEmpty())
        .ifPresent(
            f ->
                p.setProperty(
                    "interpretedFunctions",
                    f.stream()
                        .sorted()
                        .map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(","))));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      p.store(out, null);
      write(traitsFile(key), out.toByteArray());
    } catch (IOException | RuntimeException e) {
      LOG.debug("compile cache: cannot write traits of {}: {}", key, e.toString());
    }
  }

  /**
   * Traits from the cache.
   *
   * @param traits what the module's code can change
   * @param interpretedFunctions the functions (function index space) that the compiled code runs in
   *     the interpreter, when {@code interpretedKnown}
   * @param interpretedKnown whether {@code interpretedFunctions} is known (else every body is
   *     needed)
   */
  record CachedTraits(
      ModuleTraits traits, Set<Integer> interpretedFunctions, boolean interpretedKnown) {}

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException | RuntimeException e) {
      LOG.debug("compile cache: cannot delete {}: {}", file, e.toString());
    }
  }

  private static byte[] framed(byte[] data) {
    ByteBuffer out = ByteBuffer.allocate(MAGIC.length + HASH_LENGTH + data.length);
    out.put(MAGIC).put(sha256(data)).put(data);
    return out.array();
  }

  private static byte[] verified(byte[] stored) {
    int header = MAGIC.length + HASH_LENGTH;
    if (stored.length < header || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return null;
    }
    byte[] content = Arrays.copyOfRange(stored, header, stored.length);
    byte[] hash = sha256(content);
    return Arrays.equals(stored, MAGIC.length, header, hash, 0, HASH_LENGTH) ? content : null;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String chicoryVersion() {
    String resource = "/META-INF/maven/com.dylibso.chicory/compiler/pom.properties";
    try (InputStream in =
        com.dylibso.chicory.compiler.MachineFactoryCompiler.class.getResourceAsStream(resource)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank()) {
          return version.replaceAll("[^A-Za-z0-9.\\-]", "_");
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return "unknown";
  }
}
