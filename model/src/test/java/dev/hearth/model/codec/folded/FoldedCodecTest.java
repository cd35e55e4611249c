package dev.hearth.model.codec.folded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.ProfileMeaning;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FoldedCodecTest {
  private static final long PERIOD = 10_000_000;

  private static Profile decode(String text) throws ProfileDecodeException {
    return FoldedCodec.decode(text.getBytes(StandardCharsets.UTF_8), ProfileType.CPU, PERIOD, 1, 2);
  }

  @Test
  void readsStacksRootFirstAndSumsRepeats() throws Exception {
    Profile p =
        decode(
            "main;handle;parse 3\nmain;handle 2\n\nmain;handle;parse 1\nmain;std::vector<int> push_back 4\n");
    assertThat(p.samples()).hasSize(3);
    assertThat(p.samples().getFirst().stack().functionNamesRootFirst())
        .containsExactly("main", "handle", "parse");
    assertThat(p.samples().getFirst().count()).isEqualTo(4);
    assertThat(p.samples().getFirst().value()).isEqualTo(4 * PERIOD);
    assertThat(p.samples().get(2).stack().functionNamesRootFirst())
        .containsExactly("main", "std::vector<int> push_back");
    assertThat(p.totalCount()).isEqualTo(10);
  }

  @Test
  void roundTrips() throws Exception {
    Profile p = decode("a;b;c 5\na;b 7\nx 1\n");
    Profile again = FoldedCodec.decode(FoldedCodec.encode(p, true), ProfileType.CPU, PERIOD, 1, 2);
    assertThat(ProfileMeaning.of(again)).isEqualTo(ProfileMeaning.of(p));
    assertThat(new String(FoldedCodec.encode(p, true), StandardCharsets.UTF_8))
        .isEqualTo("a;b;c 5\na;b 7\nx 1\n");
  }

  @Test
  void namesTheBadLine() {
    assertThatThrownBy(() -> decode("a;b 1\nno-count\n"))
        .hasMessageContaining("line 2 has no count");
    assertThatThrownBy(() -> decode("a;b x\n")).hasMessageContaining("'x', not an integer");
    assertThatThrownBy(() -> decode("a;;b 1\n")).hasMessageContaining("empty frame");
    assertThatThrownBy(() -> decode("a -1\n")).hasMessageContaining("negative");
  }
}
