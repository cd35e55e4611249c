package dev.hearth.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {

  @Test
  void keepsAtMostKeepFilesOfAtMostMaxBytes(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("clickhouse.log");
    Files.writeString(log, "previous run\n");
    RotatingLog r = RotatingLog.start(log, "# header\n", 1000);
    byte[] output = "0123456789abcdef\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    // Reading the log while it rotates can find it briefly missing: wait for the pump to end.
    r.pump(new ByteArrayInputStream(output), "test-pump").join(Duration.ofSeconds(10));

    Path oldest = RotatingLog.sibling(log, RotatingLog.KEEP);
    assertThat(Files.readString(log)).endsWith("cdef\n");
    assertThat(Files.size(log)).isLessThanOrEqualTo(1000);
    assertThat(Files.exists(oldest)).isTrue();
    assertThat(Files.exists(RotatingLog.sibling(log, RotatingLog.KEEP + 1))).isFalse();
    assertThat(Files.readString(RotatingLog.sibling(log, 1))).doesNotContain("previous run");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
  }
}
