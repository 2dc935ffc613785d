package dev.k8swasm.wasi.sandbox;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a file or directory is safe to load code from, as ssh judges {@code ~/.ssh}: owned by the
 * current user (or root) and writable by nobody else. Directories it creates are private ({@code
 * 0700}). On file systems without POSIX permissions only the owner is checked; when the current
 * user cannot be found, only the permissions.
 */
final class PrivateFiles {
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private PrivateFiles() {}

  /**
   * Why {@code path} (which exists) must not be trusted, e.g. {@code "it is writable by group or
   * others (rwxrwxrwx)"}; empty when it is safe.
   */
  static Optional<String> problem(Path path) throws IOException {
    PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    UserPrincipal owner;
    if (posix != null) {
      PosixFileAttributes attributes = posix.readAttributes();
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (permissions.stream().anyMatch(OTHERS_WRITE::contains)) {
        return Optional.of(
            "it is writable by group or others ("
                + PosixFilePermissions.toString(permissions)
                + ")");
      }
      owner = attributes.owner();
    } else {
      owner = Files.getOwner(path);
    }
    UserPrincipal current = CurrentUser.PRINCIPAL;
    if (current != null && !owner.equals(current) && !owner.getName().equals("root")) {
      return Optional.of(
          "it is owned by " + owner.getName() + ", not by the current user " + current.getName());
    }
    return Optional.empty();
  }

  /** Creates {@code directory} and its missing parents, each readable by its owner only. */
  static void createDirectories(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(directory, OWNER_ONLY);
    } else {
      Files.createDirectories(directory);
    }
  }

  /**
   * The user this process runs as: the owner of a file it creates (the JDK has no portable getuid),
   * else the user named by {@code user.name}; null when neither can be found.
   */
  private static final class CurrentUser {
    static final UserPrincipal PRINCIPAL = find();

    private static UserPrincipal find() {
      try {
        Path probe = Files.createTempFile("k8s-wasm-owner", ".probe");
        try {
          return Files.getOwner(probe);
        } finally {
          Files.deleteIfExists(probe);
        }
      } catch (IOException | RuntimeException e) {
        try {
          return FileSystems.getDefault()
              .getUserPrincipalLookupService()
              .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e2) {
          return null;
        }
      }
    }
  }
}
