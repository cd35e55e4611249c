package dev.hearth.query.flamegraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.query.testing.FlamegraphPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The encoder against the shared fixtures the web UI's decoder tests read too. */
class FlamegraphFixturesTest {
  static final Path DIR = Path.of("src/test/resources/flamegraph-fixtures");
  private static final ObjectMapper json = new ObjectMapper();

  static Stream<Path> fixtures() throws IOException {
    return Files.list(DIR).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  static void add(CallTree tree, String folded, int side) throws Exception {
    Profile p =
        FoldedCodec.decode(
            folded.getBytes(StandardCharsets.UTF_8), ProfileType.CPU_SAMPLES, 1, 0, 0);
    for (Sample s : p.samples()) {
      tree.add(s.stack().functionNamesRootFirst(), side, s.value(), s.count());
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void encoderWritesTheExpectedJson(Path file) throws Exception {
    JsonNode fixture = json.readTree(file.toFile());
    CallTree tree = new CallTree();
    boolean diff = fixture.has("left");
    if (diff) {
      add(tree, fixture.get("left").asString(), 0);
      add(tree, fixture.get("right").asString(), 1);
    } else {
      add(tree, fixture.get("folded").asString(), 0);
    }
    Flamegraph fg =
        FlamegraphEncoder.encode(
            tree,
            ProfileType.CPU_SAMPLES.id(),
            ProfileType.CPU_SAMPLES.sampleUnit(),
            fixture.get("maxNodes").asInt(),
            diff);
    assertThat(json.readTree(fg.toJson())).isEqualTo(fixture.get("expected"));
    FlamegraphPaths.assertLevelsSumToParents(fg.levels(), fg.stride());
  }
}
