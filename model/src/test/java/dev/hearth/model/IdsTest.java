package dev.hearth.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.dynatrace.hash4j.hashing.Hashing;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ids follow the byte layout IDS.md documents, so other implementations can compute them. */
class IdsTest {

  /** Builds the canonical bytes by hand, exactly as IDS.md spells them out. */
  private static final class Canonical {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Canonical tag(char c) {
      out.write(c);
      return this;
    }

    Canonical u32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
      return this;
    }

    Canonical i64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
      return this;
    }

    Canonical str(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      return u32(utf8.length).bytes(utf8);
    }

    Canonical bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    long xxh3() {
      return Hashing.xxh3_64().hashBytesToLong(out.toByteArray());
    }
  }

  @Test
  void functionIdIsXxh3OfTheDocumentedEncoding() {
    Function f = Function.of("main.hearthBurnCPU", "main.hearthBurnCPU", "/src/main.go", 42);
    long expected =
        new Canonical()
            .tag('F')
            .str("main.hearthBurnCPU")
            .str("main.hearthBurnCPU")
            .str("/src/main.go")
            .i64(42)
            .xxh3();
    assertThat(f.id()).isEqualTo(expected);
  }

  @Test
  void mappingLocationAndStackIdsFollowTheEncoding() {
    Mapping m = Mapping.of("/usr/lib/libc.so.6", "abcd", "gnu");
    assertThat(m.id())
        .isEqualTo(
            new Canonical().tag('M').str("/usr/lib/libc.so.6").str("abcd").str("gnu").xxh3());

    Function inner = Function.of("memcpy");
    Function outer = Function.of("printf");
    Location l = Location.of(m, 0x1a2b, List.of(Line.of(inner, 7), Line.of(outer, 9)), "native");
    long expectedLocation =
        new Canonical()
            .tag('L')
            .i64(m.id())
            .i64(0x1a2b)
            .u32(2)
            .i64(inner.id())
            .i64(7)
            .i64(0)
            .i64(outer.id())
            .i64(9)
            .i64(0)
            .str("native")
            .xxh3();
    assertThat(l.id()).isEqualTo(expectedLocation);

    Location root = Location.of(Function.of("main"));
    Stack s = Stack.of(List.of(l, root));
    assertThat(s.id()).isEqualTo(new Canonical().tag('S').u32(2).i64(l.id()).i64(root.id()).xxh3());
  }

  @Test
  void seriesIdCoversTypeAndSortedLabels() {
    LabelSet labels = LabelSet.of("service_name", "api", "host_name", "web-1");
    long expected =
        new Canonical()
            .tag('R')
            .str(ProfileType.CPU.id())
            .u32(2)
            .str("host_name")
            .str("web-1")
            .str("service_name")
            .str("api")
            .xxh3();
    assertThat(Ids.seriesId(ProfileType.CPU, labels)).isEqualTo(expected);
    assertThat(
            Ids.seriesId(ProfileType.CPU, LabelSet.of("host_name", "web-1", "service_name", "api")))
        .isEqualTo(expected);
    assertThat(Ids.seriesId(ProfileType.OFF_CPU, labels)).isNotEqualTo(expected);
  }

  @Test
  void equalContentGivesEqualIdsAndDifferentContentDifferentOnes() {
    assertThat(Function.of("a").id()).isEqualTo(Function.of("a").id());
    assertThat(Function.of("a").id()).isNotEqualTo(Function.of("b").id());
    // Length prefixes keep field boundaries apart: ("ab","") differs from ("a","b").
    assertThat(Function.of("ab", "", "", 0).id()).isNotEqualTo(Function.of("a", "b", "", 0).id());
    Stack ab = Stack.ofFunctionNamesRootFirst(List.of("a", "b"));
    Stack ba = Stack.ofFunctionNamesRootFirst(List.of("b", "a"));
    assertThat(ab.id()).isNotEqualTo(ba.id());
    assertThat(ab).isEqualTo(Stack.ofFunctionNamesRootFirst(List.of("a", "b")));
  }
}
