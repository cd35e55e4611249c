package dev.hearth.agent.symbol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerfMapTest {
  @Test
  void laterLinesWinAndRangesAreHalfOpen(@TempDir Path dir) throws Exception {
    Path map = dir.resolve("perf-1.map");
    Files.writeString(
        map,
        """
        0x7f0000001000 0x100 void Old.code()
        7f0000002000 80 Interpreter
        0x7f0000001000 0x100 void New.code()
        """);
    PerfMap m = PerfMap.read(map);
    assertThat(m.lookup(0x7f0000001000L)).isEqualTo("void New.code()");
    assertThat(m.lookup(0x7f00000010ffL)).isEqualTo("void New.code()");
    assertThat(m.lookup(0x7f0000001100L)).isNull();
    assertThat(m.lookup(0x7f0000002010L)).isEqualTo("Interpreter");
    assertThat(PerfMap.read(dir.resolve("missing")).size()).isZero();
  }
}
