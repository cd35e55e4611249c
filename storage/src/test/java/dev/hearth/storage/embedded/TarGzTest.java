package dev.hearth.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzTest {
  @Test
  void extractsOneEntryOfATarballAsNpmPacksIt(@TempDir Path dir) throws Exception {
    Path pkg = Files.createDirectories(dir.resolve("package"));
    Files.writeString(pkg.resolve("package.json"), "{}");
    byte[] library = new byte[70_000]; // spans many tar blocks, not a multiple of 512
    for (int i = 0; i < library.length; i++) {
      library[i] = (byte) (i * 31);
    }
    Files.write(pkg.resolve("libchdb.so"), library);
    Files.writeString(pkg.resolve("index.js"), "module.exports = 1;");
    Path tarball = dir.resolve("p.tgz");
    Process tar =
        new ProcessBuilder(
                "tar",
                "--format=ustar",
                "-czf",
                tarball.toString(),
                "-C",
                dir.toString(),
                "package/package.json",
                "package/libchdb.so",
                "package/index.js")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();

    Path target = dir.resolve("out.so");
    assertThat(TarGz.extract(tarball, "package/libchdb.so", target)).isTrue();
    assertThat(Files.readAllBytes(target)).isEqualTo(library);
    assertThat(TarGz.extract(tarball, "package/missing.so", dir.resolve("missing"))).isFalse();
    assertThat(dir.resolve("missing")).doesNotExist();
  }
}
