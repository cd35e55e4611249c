package dev.hearth.ingest.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.Payload;
import dev.hearth.model.ProfileType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyroscopeIngestTest {
  private static final byte[] FOLDED = "main;work 3\n".getBytes(StandardCharsets.UTF_8);

  private static Payload payload(Map<String, String> params, String contentType, byte[] body) {
    return PyroscopeIngest.payload(params::get, contentType, body);
  }

  @Test
  void pyroscopeNamesGiveServiceTypeAndLabels() {
    PyroscopeName n = PyroscopeName.parse("my.app.alloc_space{env=prod, region = eu}");
    assertThat(n.app()).isEqualTo("my.app");
    assertThat(n.foldedType(100).type()).isEqualTo(ProfileType.ALLOC_SPACE);
    assertThat(n.seriesLabels("gospy"))
        .containsEntry("service_name", "my.app")
        .containsEntry("env", "prod")
        .containsEntry("region", "eu")
        .containsEntry("pyroscope_spy", "gospy");
    assertThat(PyroscopeName.parse("api").foldedType(20).valuePerSample()).isEqualTo(50_000_000L);
    assertThat(PyroscopeName.parse("api{service_name=x}").seriesLabels(null))
        .containsEntry("service_name", "x")
        .containsEntry("app_name", "api");
    assertThatThrownBy(() -> PyroscopeName.parse("api{env}")).hasMessageContaining("not key=value");
  }

  @Test
  void sampleTypeConfigMarksCumulativeTypesAndRenames() {
    SampleTypeConfig c =
        SampleTypeConfig.parse(
            ("{\"alloc_space\":{\"units\":\"bytes\",\"cumulative\":true},"
                    + "\"inuse_space\":{\"units\":\"bytes\",\"display-name\":\"live_space\"}}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(c.cumulative()).containsExactly("alloc_space");
    assertThat(c.displayNames()).containsEntry("inuse_space", "live_space");
    assertThatThrownBy(() -> SampleTypeConfig.parse("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IngestException.class);
  }

  @Test
  void formatIsDetectedAsPyroscopeDetectsIt() {
    assertThat(PyroscopeIngest.format(null, "multipart/form-data; boundary=x")).isEqualTo("pprof");
    assertThat(PyroscopeIngest.format("", "text/plain")).isEqualTo("folded");
    assertThat(PyroscopeIngest.format(null, null)).isEqualTo("folded");
    assertThat(PyroscopeIngest.format("jfr", "multipart/form-data; boundary=x")).isEqualTo("jfr");
    assertThat(PyroscopeIngest.format(null, "binary/octet-stream+trie")).isEqualTo("trie");
    byte[] body = MultipartTest.body(Map.of("profile", new byte[] {1, 2, 3}));
    Payload p = payload(Map.of("name", "go-app"), MultipartTest.TYPE, body);
    assertThat(p)
        .isInstanceOfSatisfying(
            Payload.Pprof.class, pp -> assertThat(pp.profile()).containsExactly(1, 2, 3));
    assertThatThrownBy(() -> payload(Map.of("name", "a", "format", "trie"), "x", FOLDED))
        .isInstanceOfSatisfying(
            IngestException.class,
            e -> assertThat(e.kind()).isEqualTo(IngestException.Kind.UNSUPPORTED_MEDIA_TYPE));
  }

  @Test
  void dottedLabelNamesInTheKeyAreKeptAndOthersRefused() {
    Payload p =
        payload(
            Map.of("name", "node-app{otel.scope.name=pyroscope,env=prod}"), "text/plain", FOLDED);
    assertThat(((Payload.Folded) p).labels())
        .containsEntry("otel.scope.name", "pyroscope")
        .containsEntry("service_name", "node-app");
    assertThatThrownBy(() -> PyroscopeName.parse("a{b@d=x}"))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("'b@d'");
  }

  @Test
  void untilBeforeFromIsRefusedNamingUntil() {
    assertThatThrownBy(
            () ->
                payload(
                    Map.of("name", "a", "from", "1764100010", "until", "1764100000"),
                    "text/plain",
                    FOLDED))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("'until'")
        .hasMessageContaining("before 'from'");
    Payload ms = payload(Map.of("name", "a", "from", "1764100000000"), "text/plain", FOLDED);
    assertThat(((Payload.Folded) ms).fromNanos()).isEqualTo(1_764_100_000_000_000_000L);
    assertThatThrownBy(
            () -> payload(Map.of("name", "a", "from", "yesterday"), "text/plain", FOLDED))
        .hasMessageContaining("'from' must be an epoch number");
  }

  @Test
  void linesCountEachLineOnce() {
    Payload p =
        payload(
            Map.of("name", "a.cpu", "format", "lines"),
            "text/plain",
            "main;a\nmain;a\n\nmain;b\n".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(((Payload.Folded) p).body(), StandardCharsets.UTF_8))
        .isEqualTo("main;a 1\nmain;a 1\nmain;b 1\n");
  }
}
