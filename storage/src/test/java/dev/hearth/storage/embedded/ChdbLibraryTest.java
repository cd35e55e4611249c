package dev.hearth.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChdbLibraryTest {
  @Test
  void usesTheCachedLibraryWithoutFetching(@TempDir Path dir) throws Exception {
    Path cached = Files.writeString(dir.resolve(ChdbLibrary.FILE_NAME), "not really a library");

    assertThat(ChdbLibrary.locateIn(dir)).isEqualTo(cached);
  }

  @Test
  void explicitLibraryMustExist(@TempDir Path dir) {
    Path missing = dir.resolve("nope/libchdb.so");
    System.setProperty("hearth.chdb.lib", missing.toString());
    try {
      assertThatThrownBy(ChdbLibrary::locate)
          .isInstanceOf(EmbeddedClickHouseException.class)
          .hasMessageContaining("HEARTH_CHDB_LIB")
          .hasMessageContaining(missing.toString());
    } finally {
      System.clearProperty("hearth.chdb.lib");
    }
  }

  @Test
  void integrityIsNpmsSubresourceIntegrityForm(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("abc"), "abc");

    assertThat(ChdbLibrary.integrity(file))
        .isEqualTo(
            "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==");
  }
}
