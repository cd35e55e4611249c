package dev.hearth.storage.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Finds chDB's {@code libchdb.so}, fetching the pinned npm package into a cache outside the
 * repository on first use.
 *
 * <p>Where it looks, first match wins:
 *
 * <ol>
 *   <li>system property {@code hearth.chdb.lib} or environment variable {@code HEARTH_CHDB_LIB}:
 *       the library file itself, used as is (for air-gapped hosts);
 *   <li>{@code <cache>/26.7.3-stable.1/libchdb.so}, where {@code <cache>} is system property {@code
 *       hearth.chdb.cache}, environment variable {@code HEARTH_CHDB_CACHE}, or {@code
 *       $XDG_CACHE_HOME/hearth/chdb} (default {@code ~/.cache/hearth/chdb});
 *   <li>otherwise it runs {@code npm pack @chdb/lib-linux-x64-gnu@26.7.3-stable.1}, checks the
 *       tarball against the pinned SHA-512 and extracts the library into that cache directory.
 * </ol>
 *
 * <p>Fetching is serialised by a lock file, so parallel test JVMs download once.
 */
public final class ChdbLibrary {
  /** The npm package that ships {@code libchdb.so} for glibc x86-64 Linux. */
  public static final String PACKAGE = "@chdb/lib-linux-x64-gnu";

  /** Pinned explicitly: the package's {@code latest} tag points at an older 26.5 release. */
  public static final String VERSION = "26.7.3-stable.1";

  /** npm's {@code dist.integrity} for {@link #PACKAGE}@{@link #VERSION}. */
  static final String INTEGRITY =
      "sha512-XP97mMqnc5tZpKQywR8N7cLTsHNiTmHr30pC5mzo3jWmukjKn2IBa60c2B/gWUNcuFjOMjWoorQICCqBVj5wpw==";

  static final String TARBALL_ENTRY = "package/libchdb.so";
  static final String FILE_NAME = "libchdb.so";
  private static final Duration NPM_TIMEOUT = Duration.ofMinutes(15);
  private static final Object FETCH_LOCK = new Object();

  private ChdbLibrary() {}

  /**
   * Returns the path of {@code libchdb.so}, fetching it first if the cache does not hold it.
   *
   * @throws EmbeddedClickHouseException if the library is not there and cannot be fetched; the
   *     message says why and how to supply it instead
   */
  public static Path locate() {
    String explicit = setting("hearth.chdb.lib", "HEARTH_CHDB_LIB");
    if (explicit != null) {
      Path library = Path.of(explicit).toAbsolutePath();
      if (!Files.isRegularFile(library)) {
        throw new EmbeddedClickHouseException(
            "HEARTH_CHDB_LIB (or -Dhearth.chdb.lib) names "
                + library
                + ", which is not a file; point it at libchdb.so from "
                + spec()
                + " or unset it to fetch that package");
      }
      return library;
    }
    requireSupportedPlatform();
    return locateIn(cacheRoot().resolve(VERSION));
  }

  /** Returns {@code dir/libchdb.so}, fetching it into {@code dir} if it is not there yet. */
  static Path locateIn(Path dir) {
    Path library = dir.resolve(FILE_NAME);
    if (Files.isRegularFile(library)) {
      return library;
    }
    synchronized (FETCH_LOCK) {
      try {
        Files.createDirectories(dir);
        try (FileChannel channel =
                FileChannel.open(
                    dir.resolve(".fetch.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          if (!Files.isRegularFile(library)) {
            fetch(dir, library);
          }
          return library;
        }
      } catch (IOException e) {
        // Plain IOExceptions are ours and say what failed; others get their class name too.
        throw fetchFailed(e.getClass() == IOException.class ? e.getMessage() : e.toString(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fetchFailed("interrupted", e);
      }
    }
  }

  private static void fetch(Path dir, Path library) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory(dir, ".fetch-");
    try {
      Path tarball = NpmPack.download(spec(), work, dir.resolve("npm-pack.log"), NPM_TIMEOUT);
      String integrity = integrity(tarball);
      if (!integrity.equals(INTEGRITY)) {
        throw new IOException("the tarball's checksum is " + integrity + ", expected " + INTEGRITY);
      }
      Path partial = work.resolve(FILE_NAME);
      if (!TarGz.extract(tarball, TARBALL_ENTRY, partial)) {
        throw new IOException("the tarball has no " + TARBALL_ENTRY);
      }
      // Same file system, so the move is atomic: a library in the cache is always complete.
      Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(work);
    }
  }

  /** npm's subresource-integrity form of the file's SHA-512: {@code sha512-<base64>}. */
  static String integrity(Path file) throws IOException {
    MessageDigest sha512;
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-512", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha512)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return "sha512-" + Base64.getEncoder().encodeToString(sha512.digest());
  }

  private static EmbeddedClickHouseException fetchFailed(String reason, @Nullable Throwable cause) {
    String message =
        "could not fetch "
            + spec()
            + " with npm: "
            + reason
            + "\nFix: install npm (it must reach its registry), or download "
            + "https://registry.npmjs.org/@chdb/lib-linux-x64-gnu/-/lib-linux-x64-gnu-"
            + VERSION
            + ".tgz, extract "
            + TARBALL_ENTRY
            + " and set HEARTH_CHDB_LIB=/path/to/libchdb.so";
    return cause == null
        ? new EmbeddedClickHouseException(message)
        : new EmbeddedClickHouseException(message, cause);
  }

  private static String spec() {
    return PACKAGE + "@" + VERSION;
  }

  private static Path cacheRoot() {
    String configured = setting("hearth.chdb.cache", "HEARTH_CHDB_CACHE");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("hearth").resolve("chdb");
  }

  private static void requireSupportedPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.equals("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new EmbeddedClickHouseException(
          "the embedded ClickHouse needs Linux x86-64 with glibc ("
              + PACKAGE
              + "), this is "
              + os
              + " "
              + arch
              + "; configure an external ClickHouse, or set HEARTH_CHDB_LIB to a libchdb.so"
              + " built for this platform");
    }
  }

  private static @Nullable String setting(String property, String environmentVariable) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(environmentVariable);
    }
    return value == null || value.isBlank() ? null : value;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
