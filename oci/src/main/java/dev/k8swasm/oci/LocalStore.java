package dev.k8swasm.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local module store, content addressed like kwctl's: module bytes in {@code blobs/sha256/HEX},
 * one small JSON entry per reference in {@code refs/}. Everything is written to a temporary file in
 * {@code tmp/} first and moved into place atomically, so a reader never sees a half-written file
 * and concurrent pulls of the same module are safe (the last complete one wins; both are the same
 * bytes when the digests agree). Thread-safe and safe across processes.
 */
public final class LocalStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);
  private static final Pattern DIGEST = Pattern.compile("^sha256:[a-f0-9]{64}$");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  /** The store in {@code dir} (created when first written). */
  public LocalStore(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
  }

  /** The store's directory. */
  public Path dir() {
    return dir;
  }

  /** The stored module of {@code reference}, if its entry and bytes are present and intact. */
  public Optional<StoredModule> find(String reference) {
    Path entry = entryPath(reference);
    StoredModule m = read(entry);
    if (m == null || !m.reference().equals(reference)) {
      return Optional.empty();
    }
    try {
      if (Files.size(m.path()) != m.size()
          || !RegistryClient.Digests.sha256(m.path()).equals(m.digest())) {
        LOG.warn(
            "{}: the stored copy does not match its digest {}; ignoring it", reference, m.digest());
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(m);
  }

  /** Every stored module, sorted by reference. */
  public List<StoredModule> list() {
    List<StoredModule> out = new ArrayList<>();
    Path refs = dir.resolve("refs");
    if (!Files.isDirectory(refs)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(refs, "*.json")) {
      for (Path p : ds) {
        StoredModule m = read(p);
        if (m != null && Files.isRegularFile(m.path())) {
          out.add(m);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the store " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(StoredModule::reference));
    return out;
  }

  /**
   * Removes {@code reference}'s entry, and its bytes when no other entry uses them.
   *
   * @return whether there was an entry
   */
  public boolean remove(String reference) {
    Path entry = entryPath(reference);
    StoredModule m = read(entry);
    if (m == null) {
      return false;
    }
    try {
      Files.deleteIfExists(entry);
      boolean used = list().stream().anyMatch(o -> o.digest().equals(m.digest()));
      if (!used) {
        Files.deleteIfExists(m.path());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove " + reference + " from " + dir + ": " + e.getMessage(), e);
    }
    return true;
  }

  /** A new empty temporary file inside the store, to download into before {@link #commit}. */
  Path newTemp() throws IOException {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    return Files.createTempFile(tmp, "pull-", ".part");
  }

  /**
   * Deletes temporary files older than {@code age}: what a process killed in the middle of a pull
   * left behind (never read as a module, only taking space).
   *
   * @return how many were deleted
   */
  public int deleteStaleTemporaryFiles(java.time.Duration age) {
    Path tmp = dir.resolve("tmp");
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    Instant cutoff = Instant.now().minus(age);
    int deleted = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "pull-*.part")) {
      for (Path p : ds) {
        try {
          if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)
              && Files.deleteIfExists(p)) {
            deleted++;
          }
        } catch (IOException e) {
          // another process may have moved or deleted it
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot list {}: {}", tmp, e.getMessage());
    }
    return deleted;
  }

  /**
   * Moves the complete, checked module {@code temp} into place and records {@code reference}.
   *
   * @param digest the module bytes' sha256 digest, already checked
   */
  StoredModule commit(
      String reference,
      Optional<String> manifestDigest,
      String digest,
      long size,
      Path temp,
      Map<String, String> annotations)
      throws IOException {
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalArgumentException("not a sha256 digest: " + digest);
    }
    Path blob = blobPath(digest);
    Files.createDirectories(blob.getParent());
    move(temp, blob);
    StoredModule m =
        new StoredModule(reference, manifestDigest, digest, size, blob, Instant.now(), annotations);
    ObjectNode node = JSON.createObjectNode();
    node.put("reference", reference);
    manifestDigest.ifPresent(d -> node.put("manifestDigest", d));
    node.put("digest", digest);
    node.put("size", size);
    node.put("pulledAt", m.pulledAt().toString());
    ObjectNode ann = node.putObject("annotations");
    annotations.forEach(ann::put);
    Path entry = entryPath(reference);
    Files.createDirectories(entry.getParent());
    Path tmp = newTemp();
    try {
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
      move(tmp, entry);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return m;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Path blobPath(String digest) {
    return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
  }

  private Path entryPath(String reference) {
    String key =
        HexFormat.of()
            .formatHex(
                RegistryClient.Digests.newSha256()
                    .digest(reference.getBytes(StandardCharsets.UTF_8)));
    return dir.resolve("refs").resolve(key + ".json");
  }

  private StoredModule read(Path entry) {
    JsonNode node;
    try {
      node = JSON.readTree(Files.readAllBytes(entry));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.warn("ignoring the unreadable store entry {}: {}", entry, e.getMessage());
      return null;
    }
    String digest = node.path("digest").asText("");
    if (!DIGEST.matcher(digest).matches() || !node.path("reference").isTextual()) {
      LOG.warn("ignoring the malformed store entry {}", entry);
      return null;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    node.path("annotations")
        .fields()
        .forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
    Instant at;
    try {
      at = Instant.parse(node.path("pulledAt").asText());
    } catch (RuntimeException e) {
      at = Instant.EPOCH;
    }
    return new StoredModule(
        node.path("reference").asText(),
        node.path("manifestDigest").isTextual()
            ? Optional.of(node.path("manifestDigest").asText())
            : Optional.empty(),
        digest,
        node.path("size").asLong(),
        blobPath(digest),
        at,
        annotations);
  }
}
