package dev.hearth.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfFileInfoTest {
  @TempDir static Path dir;
  static TestBinaries bin;

  @BeforeAll
  static void build() throws Exception {
    bin = TestBinaries.build(dir);
  }

  @Test
  void readsTheBuildIdReadelfPrintsFromEveryPart() throws Exception {
    for (Path p : new Path[] {bin.binary(), bin.debug(), bin.stripped()}) {
      assertThat(ElfFileInfo.read(p).buildId()).as(p.toString()).isEqualTo(bin.buildId());
    }
  }

  @Test
  void tellsWhatEachPartCanNameAddressesWith() throws Exception {
    ElfFileInfo debug = ElfFileInfo.read(bin.debug());
    assertThat(debug.hasSymtab()).isTrue();
    assertThat(debug.hasDwarf()).isTrue();
    ElfFileInfo stripped = ElfFileInfo.read(bin.stripped());
    assertThat(stripped.hasSymtab()).isFalse();
    assertThat(stripped.hasDwarf()).isFalse();
    assertThat(stripped.hasDynsym()).isTrue();
  }

  @Test
  void refusesWhatIsNotSoundElfSayingWhy() throws Exception {
    Path text = dir.resolve("text");
    Files.writeString(text, "#!/bin/sh\necho hello\n".repeat(10));
    assertThatThrownBy(() -> ElfFileInfo.read(text))
        .isInstanceOf(CorruptDebugFileException.class)
        .hasMessageContaining("not an ELF file");
    byte[] whole = Files.readAllBytes(bin.debug());
    for (int length : new int[] {0, 20, 64, 500, whole.length / 2}) {
      Path cut = dir.resolve("cut-" + length);
      Files.write(cut, Arrays.copyOf(whole, length));
      assertThatThrownBy(() -> ElfFileInfo.read(cut))
          .as("cut at %d", length)
          .isInstanceOf(CorruptDebugFileException.class)
          .hasMessageContaining("outside the file");
    }
  }

  @Test
  void canonicalBuildIdsAreLowerCaseHex() {
    assertThat(BuildIds.canonical("ABCDEF0123456789")).isEqualTo("abcdef0123456789");
    assertThat(BuildIds.canonical("abc")).isNull();
    assertThat(BuildIds.canonical("abcdef012")).isNull();
    assertThat(BuildIds.canonical("../../etc/passwd")).isNull();
  }
}
