package dev.hearth.storage.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Downloads one npm package tarball with {@code npm pack}, so the user's npm settings (registry
 * mirror, proxy, credentials in {@code .npmrc}) apply.
 */
final class NpmPack {
  private NpmPack() {}

  /**
   * Runs {@code npm pack <spec>} in {@code workDir}, its output going to {@code log}, and returns
   * the tarball it wrote there.
   *
   * <p>npm's cache is pointed into {@code workDir} so that the (large) tarball is not kept a second
   * time in {@code ~/.npm}; the caller deletes {@code workDir}.
   *
   * @throws IOException if npm is missing, fails or exceeds {@code timeout}; the message carries
   *     the end of npm's output
   */
  static Path download(String spec, Path workDir, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command =
        List.of("npm", "pack", spec, "--cache", workDir.resolve("npm-cache").toString());
    Process npm;
    try {
      npm =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
    } catch (IOException e) {
      throw new IOException("cannot run npm: " + e.getMessage(), e);
    }
    if (!npm.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      npm.destroyForcibly();
      throw new IOException(
          "npm pack took longer than " + timeout.toSeconds() + " s; " + LogTail.of(log));
    }
    if (npm.exitValue() != 0) {
      throw new IOException(
          "npm pack exited with status " + npm.exitValue() + "; " + LogTail.of(log));
    }
    try (Stream<Path> files = Files.list(workDir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(() -> new IOException("npm pack wrote no .tgz file; " + LogTail.of(log)));
    }
  }
}
