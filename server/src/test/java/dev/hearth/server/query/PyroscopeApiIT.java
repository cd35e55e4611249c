package dev.hearth.server.query;

import static dev.hearth.server.query.QueryContractIT.CPU;
import static dev.hearth.server.query.QueryContractIT.HOUR;
import static dev.hearth.server.query.QueryContractIT.SECOND;
import static dev.hearth.server.query.QueryContractIT.enc;
import static dev.hearth.server.query.QueryContractIT.levels;
import static dev.hearth.server.query.QueryContractIT.sample;
import static dev.hearth.server.query.QueryContractIT.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.model.Profile;
import dev.hearth.query.pyroscope.proto.GoogleProfileProto;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.DiffResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.FlameGraph;
import dev.hearth.query.pyroscope.proto.QuerierProto.Level;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileFormat;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.ProfileTypesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeSpanProfileResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectMergeStacktracesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SelectSeriesResponse;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesRequest;
import dev.hearth.query.pyroscope.proto.QuerierProto.SeriesResponse;
import dev.hearth.query.pyroscope.proto.QuerierServiceGrpc;
import dev.hearth.query.pyroscope.proto.TypesProto;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelNamesResponse;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesRequest;
import dev.hearth.query.pyroscope.proto.TypesProto.LabelValuesResponse;
import dev.hearth.query.testing.FlamegraphPaths;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.WriteBatch;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Pyroscope's read API as its clients call it: {@code querier.v1.QuerierService} over Connect
 * (protobuf and JSON) and gRPC gives the same answers as each other and as {@code /api/v1}; the Go
 * client generated from Pyroscope's published protos ({@code github.com/grafana/pyroscope/api},
 * built by {@code go build} from {@code src/test/go}) gets the same flamegraph, series and pprof
 * over all three protocols, and replays the requests Grafana's Pyroscope data source sends; the
 * legacy {@code /pyroscope/*} routes answer in Pyroscope's shape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PyroscopeApiIT {
  static final String TOKEN = "token-pyroscope-0123456789";
  private static final int GRPC_PORT = QueryContractIT.freePort();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();
  static final String SERVICE = "/querier.v1.QuerierService/";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "it-pyroscope-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    registry.add("hearth.auth.tokens." + TOKEN, () -> "team-p");
  }

  @LocalServerPort int port;
  @Autowired ProfileStore store;

  long from;
  ManagedChannel channel;
  QuerierServiceGrpc.QuerierServiceBlockingStub grpc;

  @BeforeAll
  void writeData() {
    from =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
    List<Profile> profiles = new ArrayList<>();
    for (int minute = 0; minute < 30; minute += 5) {
      profiles.add(
          QueryContractIT.profile(
              "api",
              from + minute * 60 * SECOND,
              sample("main;handle;parse;decode", 900 + minute, 90),
              sample("main;handle;render", 300, 30),
              sample("main;gc", 120 + minute, 12)));
      profiles.add(
          QueryContractIT.profile(
              "db",
              from + minute * 60 * SECOND + SECOND,
              sample("main;query;scan", 700, 70),
              sample("main;query;sort", 200 + 2 * minute, 20)));
    }
    store.writer().write(new WriteBatch("team-p", profiles)).block();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    grpc =
        QuerierServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void closeChannel() {
    channel.shutdownNow();
  }

  long startMs() {
    return from / 1_000_000L;
  }

  long endMs() {
    return (from + HOUR) / 1_000_000L;
  }

  String restRange() {
    return "&from=" + startMs() + "&until=" + endMs();
  }

  HttpResponse<byte[]> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  JsonNode rest(String pathAndQuery) throws Exception {
    HttpResponse<byte[]> r = get(pathAndQuery);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return json.readTree(r.body());
  }

  HttpResponse<byte[]> connectCall(String method, Message request, boolean asJson)
      throws Exception {
    byte[] body =
        asJson
            ? JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8)
            : request.toByteArray();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SERVICE + method))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", asJson ? "application/json" : "application/proto")
            .header("Connect-Protocol-Version", "1")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @SuppressWarnings("unchecked")
  <R extends Message> R connect(String method, Message request, R prototype, boolean asJson)
      throws Exception {
    HttpResponse<byte[]> r = connectCall(method, request, asJson);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    if (!asJson) {
      return (R) prototype.getParserForType().parseFrom(r.body());
    }
    Message.Builder b = prototype.newBuilderForType();
    JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), b);
    return (R) b.build();
  }

  /** gRPC, Connect binary and Connect JSON answer the same message. */
  <Q extends Message, R extends Message> R call(
      String method, Q request, Function<Q, R> viaGrpc, R prototype) throws Exception {
    R overGrpc = viaGrpc.apply(request);
    assertThat(connect(method, request, prototype, false)).isEqualTo(overGrpc);
    assertThat(connect(method, request, prototype, true)).isEqualTo(overGrpc);
    return overGrpc;
  }

  static List<List<Long>> fgLevels(FlameGraph fg) {
    return fg.getLevelsList().stream().map(l -> List.copyOf(l.getValuesList())).toList();
  }

  static void sameFlamegraph(JsonNode rest, FlameGraph fg) {
    assertThat(fg.getNamesList()).isEqualTo(strings(rest.get("names")));
    assertThat(fgLevels(fg)).isEqualTo(levels(rest));
    assertThat(fg.getTotal()).isEqualTo(rest.get("total").asLong()).isPositive();
    assertThat(fg.getMaxSelf()).isEqualTo(rest.get("maxSelf").asLong());
  }

  SelectMergeStacktracesRequest merge(String selector) {
    return SelectMergeStacktracesRequest.newBuilder()
        .setProfileTypeID(CPU)
        .setLabelSelector(selector)
        .setStart(startMs())
        .setEnd(endMs())
        .build();
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    return QueryContractIT.gunzip(gz);
  }

  @Test
  void labelsAndTypesAsPyroscopeListsThem() throws Exception {
    ProfileTypesResponse types =
        call(
            "ProfileTypes",
            ProfileTypesRequest.newBuilder().setStart(startMs()).setEnd(endMs()).build(),
            grpc::profileTypes,
            ProfileTypesResponse.getDefaultInstance());
    List<String> restTypes = new ArrayList<>();
    rest("/api/v1/profile-types?" + restRange().substring(1))
        .get("profileTypes")
        .forEach(t -> restTypes.add(t.get("id").asString()));
    assertThat(types.getProfileTypesList().stream().map(TypesProto.ProfileType::getID).toList())
        .isEqualTo(restTypes)
        .containsExactly(CPU);
    assertThat(types.getProfileTypes(0).getName()).isEqualTo("process_cpu");
    assertThat(types.getProfileTypes(0).getSampleUnit()).isEqualTo("nanoseconds");

    LabelNamesResponse names =
        call(
            "LabelNames",
            LabelNamesRequest.newBuilder()
                .addMatchers("{}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::labelNames,
            LabelNamesResponse.getDefaultInstance());
    assertThat(names.getNamesList())
        .containsAll(strings(rest("/api/v1/labels?" + restRange().substring(1)).get("names")))
        .contains("__name__", "__profile_type__", "service_name", "host_name")
        .isSorted();

    LabelValuesResponse services =
        call(
            "LabelValues",
            LabelValuesRequest.newBuilder()
                .setName("service_name")
                .addMatchers("{__profile_type__=\"" + CPU + "\"}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::labelValues,
            LabelValuesResponse.getDefaultInstance());
    assertThat(services.getNamesList())
        .isEqualTo(
            strings(rest("/api/v1/label-values?name=service_name" + restRange()).get("values")))
        .containsExactly("api", "db");
    LabelValuesResponse profileNames =
        call(
            "LabelValues",
            LabelValuesRequest.newBuilder()
                .setName("__name__")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::labelValues,
            LabelValuesResponse.getDefaultInstance());
    assertThat(profileNames.getNamesList()).containsExactly("process_cpu");
    LabelValuesResponse none =
        call(
            "LabelValues",
            LabelValuesRequest.newBuilder()
                .setName("service_name")
                .addMatchers("{__name__=\"memory\"}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::labelValues,
            LabelValuesResponse.getDefaultInstance());
    assertThat(none.getNamesList()).isEmpty();

    SeriesResponse series =
        call(
            "Series",
            SeriesRequest.newBuilder()
                .addMatchers("{service_name=\"api\"}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::series,
            SeriesResponse.getDefaultInstance());
    assertThat(series.getLabelsSetCount()).isOne();
    Map<String, String> labels = new java.util.TreeMap<>();
    series.getLabelsSet(0).getLabelsList().forEach(l -> labels.put(l.getName(), l.getValue()));
    assertThat(labels)
        .containsEntry("service_name", "api")
        .containsEntry("host_name", "h-api")
        .containsEntry("__profile_type__", CPU)
        .containsEntry("__name__", "process_cpu")
        .containsEntry("__type__", "cpu")
        .containsEntry("__unit__", "nanoseconds");
  }

  @Test
  void flamegraphPprofSeriesAndDiffMatchTheRestApi() throws Exception {
    String restSel = "query=" + enc(CPU + "{service_name=\"api\"}") + restRange();
    SelectMergeStacktracesResponse fg =
        call(
            "SelectMergeStacktraces",
            merge("{service_name=\"api\"}"),
            grpc::selectMergeStacktraces,
            SelectMergeStacktracesResponse.getDefaultInstance());
    sameFlamegraph(rest("/api/v1/flamegraph?" + restSel), fg.getFlamegraph());
    SelectMergeStacktracesResponse small =
        call(
            "SelectMergeStacktraces",
            merge("{service_name=\"api\"}").toBuilder().setMaxNodes(3).build(),
            grpc::selectMergeStacktraces,
            SelectMergeStacktracesResponse.getDefaultInstance());
    sameFlamegraph(rest("/api/v1/flamegraph?" + restSel + "&maxNodes=3"), small.getFlamegraph());
    assertThat(small.getFlamegraph().getNamesList()).contains("other");

    GoogleProfileProto.Profile restPprof =
        GoogleProfileProto.Profile.parseFrom(gunzip(get("/api/v1/pprof?" + restSel).body()));
    GoogleProfileProto.Profile pprof =
        call(
            "SelectMergeProfile",
            SelectMergeProfileRequest.newBuilder()
                .setProfileTypeID(CPU)
                .setLabelSelector("{service_name=\"api\"}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::selectMergeProfile,
            GoogleProfileProto.Profile.getDefaultInstance());
    assertThat(pprof).isEqualTo(restPprof);
    assertThat(pprof.getSampleCount()).isEqualTo(3);
    SelectMergeStacktracesResponse asPprof =
        call(
            "SelectMergeStacktraces",
            merge("{service_name=\"api\"}").toBuilder()
                .setFormat(ProfileFormat.PROFILE_FORMAT_PPROF)
                .build(),
            grpc::selectMergeStacktraces,
            SelectMergeStacktracesResponse.getDefaultInstance());
    assertThat(asPprof.getPprof().getProfile()).isEqualTo(restPprof);

    SelectSeriesResponse series =
        call(
            "SelectSeries",
            SelectSeriesRequest.newBuilder()
                .setProfileTypeID(CPU)
                .setLabelSelector("{}")
                .setStart(startMs())
                .setEnd(endMs())
                .setStep(300)
                .addGroupBy("service_name")
                .build(),
            grpc::selectSeries,
            SelectSeriesResponse.getDefaultInstance());
    JsonNode restSeries =
        rest("/api/v1/series?query=" + enc(CPU) + restRange() + "&step=5m&groupBy=service_name");
    assertThat(series.getSeriesCount()).isEqualTo(2);
    // Pyroscope orders series by labels and stamps each point at the end of its step.
    assertThat(series.getSeries(0).getLabels(0).getValue()).isEqualTo("api");
    for (TypesProto.Series s : series.getSeriesList()) {
      JsonNode match = null;
      for (JsonNode r : restSeries.get("series")) {
        if (r.get("labels").get("service_name").asString().equals(s.getLabels(0).getValue())) {
          match = r;
        }
      }
      assertThat(match).isNotNull();
      List<List<Long>> expected = new ArrayList<>();
      match
          .get("points")
          .forEach(p -> expected.add(List.of(p.get(0).asLong() + 300_000L, p.get(1).asLong())));
      assertThat(
              s.getPointsList().stream()
                  .map(p -> List.of(p.getTimestamp(), (long) p.getValue()))
                  .toList())
          .isEqualTo(expected)
          .hasSize(6);
    }

    long half = startMs() + 15 * 60_000L;
    DiffResponse diff =
        call(
            "Diff",
            DiffRequest.newBuilder()
                .setLeft(merge("{}").toBuilder().setEnd(half))
                .setRight(merge("{}").toBuilder().setStart(half))
                .build(),
            grpc::diff,
            DiffResponse.getDefaultInstance());
    JsonNode restDiff =
        rest(
            "/api/v1/diff?leftQuery="
                + enc(CPU)
                + "&leftFrom="
                + startMs()
                + "&leftUntil="
                + half
                + "&rightQuery="
                + enc(CPU)
                + "&rightFrom="
                + half
                + "&rightUntil="
                + endMs());
    assertThat(diff.getFlamegraph().getLeftTicks()).isEqualTo(restDiff.get("leftTotal").asLong());
    assertThat(diff.getFlamegraph().getRightTicks()).isEqualTo(restDiff.get("rightTotal").asLong());
    // Each side of Pyroscope's diff, read as a single flamegraph, is that side's merge.
    for (int side = 0; side < 2; side++) {
      List<long[]> oneSide = new ArrayList<>();
      for (Level l : diff.getFlamegraph().getLevelsList()) {
        long[] v = l.getValuesList().stream().mapToLong(Long::longValue).toArray();
        long[] out = new long[v.length / 7 * 4];
        for (int i = 0, o = 0; i < v.length; i += 7, o += 4) {
          out[o] = v[i + 3 * side];
          out[o + 1] = v[i + 1 + 3 * side];
          out[o + 2] = v[i + 2 + 3 * side];
          out[o + 3] = v[i + 6];
        }
        oneSide.add(out);
      }
      String range =
          side == 0
              ? "&from=" + startMs() + "&until=" + half
              : "&from=" + half + "&until=" + endMs();
      JsonNode sideRest = rest("/api/v1/flamegraph?query=" + enc(CPU) + range);
      List<long[]> restLevels = new ArrayList<>();
      levels(sideRest)
          .forEach(l -> restLevels.add(l.stream().mapToLong(Long::longValue).toArray()));
      assertThat(
              withoutZeros(
                  FlamegraphPaths.totalsAndSelf(
                      FlamegraphPaths.decode(diff.getFlamegraph().getNamesList(), oneSide, 4))))
          .isEqualTo(
              FlamegraphPaths.totalsAndSelf(
                  FlamegraphPaths.decode(strings(sideRest.get("names")), restLevels, 4)));
    }

    SelectMergeSpanProfileResponse spans =
        call(
            "SelectMergeSpanProfile",
            SelectMergeSpanProfileRequest.newBuilder()
                .setProfileTypeID(CPU)
                .setLabelSelector("{}")
                .addSpanSelector("9a517183f26a089d")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            grpc::selectMergeSpanProfile,
            SelectMergeSpanProfileResponse.getDefaultInstance());
    assertThat(spans.getFlamegraph().getTotal()).isZero();
  }

  static Map<String, List<Long>> withoutZeros(Map<String, List<Long>> paths) {
    Map<String, List<Long>> out = new java.util.TreeMap<>();
    paths.forEach(
        (k, v) -> {
          if (v.get(0) != 0) {
            out.put(k, v);
          }
        });
    return out;
  }

  @Test
  void badRequestsNameTheirPyroscopeField() throws Exception {
    SelectMergeStacktracesRequest bad = merge("{service_name~\"api\"}");
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> grpc.selectMergeStacktraces(bad));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith("label_selector: ");
    for (boolean asJson : new boolean[] {false, true}) {
      HttpResponse<byte[]> r = connectCall("SelectMergeStacktraces", bad, asJson);
      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode body = json.readTree(r.body());
      assertThat(body.get("code").asString()).isEqualTo("invalid_argument");
      assertThat(body.get("parameter").asString()).isEqualTo("label_selector");
      assertThat(body.get("column").asInt()).isEqualTo(14);
    }
    HttpResponse<byte[]> nodes =
        connectCall(
            "SelectMergeStacktraces",
            merge("{}").toBuilder().setMaxNodes(10_000_000).build(),
            false);
    assertThat(json.readTree(nodes.body()).get("parameter").asString()).isEqualTo("max_nodes");
    HttpResponse<byte[]> type =
        connectCall(
            "SelectMergeStacktraces",
            merge("{}").toBuilder().setProfileTypeID("cpu").build(),
            false);
    assertThat(json.readTree(type.body()).get("parameter").asString()).isEqualTo("profile_typeID");
    HttpResponse<byte[]> tree =
        connectCall(
            "SelectMergeStacktraces",
            merge("{}").toBuilder().setFormat(ProfileFormat.PROFILE_FORMAT_DOT).build(),
            false);
    assertThat(tree.statusCode()).isEqualTo(400);
    assertThat(json.readTree(tree.body()).get("parameter").asString()).isEqualTo("format");
    for (String path : List.of(SERVICE + "ProfileTypes", "/pyroscope/render?query=x")) {
      HttpResponse<byte[]> anonymous =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Content-Type", "application/proto")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0]))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<byte[]> heatmap = connectCall("SelectHeatmap", merge("{}"), false);
    assertThat(heatmap.statusCode()).isEqualTo(501);
    assertThat(json.readTree(heatmap.body()).get("code").asString()).isEqualTo("unimplemented");
  }

  @Test
  void legacyRenderAndLabelValuesRoutes() throws Exception {
    JsonNode render =
        rest(
            "/pyroscope/render?query="
                + enc(CPU + "{service_name=\"api\"}")
                + restRange()
                + "&format=json");
    JsonNode restFg =
        rest("/api/v1/flamegraph?query=" + enc(CPU + "{service_name=\"api\"}") + restRange());
    JsonNode fb = render.get("flamebearer");
    assertThat(strings(fb.get("names"))).isEqualTo(strings(restFg.get("names")));
    assertThat(levels(fb)).isEqualTo(levels(restFg));
    assertThat(fb.get("numTicks").asLong()).isEqualTo(restFg.get("total").asLong());
    assertThat(render.get("metadata").get("units").asString()).isEqualTo("samples");
    assertThat(render.get("metadata").get("format").asString()).isEqualTo("single");
    long timelineSum = 0;
    for (JsonNode v : render.get("timeline").get("samples")) {
      timelineSum += v.asLong();
    }
    assertThat(timelineSum).isEqualTo(restFg.get("total").asLong());
    assertThat(render.get("timeline").get("durationDelta").asLong()).isEqualTo(15);

    JsonNode grouped =
        rest(
            "/pyroscope/render?query="
                + enc("{__name__=\"" + CPU + "\"}")
                + restRange()
                + "&groupBy=service_name");
    assertThat(grouped.get("groups").propertyNames()).containsExactlyInAnyOrder("api", "db");

    assertThat(strings(rest("/pyroscope/label-values?label=__name__" + restRange())))
        .containsExactly(CPU);
    assertThat(strings(rest("/pyroscope/label-values?label=service_name" + restRange())))
        .containsExactly("api", "db");
    HttpResponse<byte[]> missing = get("/pyroscope/render?from=now-1h");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json.readTree(missing.body()).get("parameter").asString()).isEqualTo("query");
  }

  // --- the Go client generated from Pyroscope's protos ---------------------------------------

  private static Path goClient;

  /** Builds {@code src/test/go/pyroscope-client} once (Go module proxy on a cold machine). */
  static synchronized Path goClient() throws Exception {
    if (goClient == null) {
      Path out = Path.of("target", "pyroscope-client").toAbsolutePath();
      Process go;
      try {
        go =
            new ProcessBuilder("go", "build", "-o", out.toString(), ".")
                .directory(Path.of("src", "test", "go", "pyroscope-client").toFile())
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        throw new AssertionError("this test needs Go (apt-get install golang-go)", e);
      }
      String log = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(go.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(go.exitValue()).as(log).isZero();
      goClient = out;
    }
    return goClient;
  }

  /** Runs the Go client: one method, one request (protobuf JSON), one protocol. */
  @SuppressWarnings("unchecked")
  <R extends Message> R go(String protocol, String method, Message request, R prototype)
      throws Exception {
    String url =
        protocol.equals("grpc") ? "http://127.0.0.1:" + GRPC_PORT : "http://127.0.0.1:" + port;
    Path in = Files.createTempFile("pyroscope-request-", ".json");
    Files.writeString(in, JsonFormat.printer().print(request));
    Process p =
        new ProcessBuilder(
                goClient().toString(), "-url", url, "-protocol", protocol, "-token", TOKEN, method)
            .redirectInput(in.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(protocol + " " + method + ": " + out).isZero();
    Message.Builder b = prototype.newBuilderForType();
    JsonFormat.parser().merge(out, b);
    return (R) b.build();
  }

  @Test
  void theGoClientFromPyroscopesProtosGetsTheSameAnswersOverEveryProtocol() throws Exception {
    String restSel = "query=" + enc(CPU + "{service_name=\"api\"}") + restRange();
    JsonNode restFg = rest("/api/v1/flamegraph?" + restSel);
    GoogleProfileProto.Profile restPprof =
        GoogleProfileProto.Profile.parseFrom(gunzip(get("/api/v1/pprof?" + restSel).body()));
    SelectSeriesRequest seriesRequest =
        SelectSeriesRequest.newBuilder()
            .setProfileTypeID(CPU)
            .setLabelSelector("{service_name=\"api\"}")
            .setStart(startMs())
            .setEnd(endMs())
            .setStep(300)
            .build();
    SelectSeriesResponse javaSeries = grpc.selectSeries(seriesRequest);
    JsonNode restSeries = rest("/api/v1/series?" + restSel + "&step=5m");
    List<Long> restValues = new ArrayList<>();
    restSeries.get("series").get(0).get("points").forEach(pt -> restValues.add(pt.get(1).asLong()));
    for (String protocol : List.of("connect", "connect-json", "grpc")) {
      SelectMergeStacktracesResponse fg =
          go(
              protocol,
              "SelectMergeStacktraces",
              merge("{service_name=\"api\"}"),
              SelectMergeStacktracesResponse.getDefaultInstance());
      sameFlamegraph(restFg, fg.getFlamegraph());
      GoogleProfileProto.Profile pprof =
          go(
              protocol,
              "SelectMergeProfile",
              SelectMergeProfileRequest.newBuilder()
                  .setProfileTypeID(CPU)
                  .setLabelSelector("{service_name=\"api\"}")
                  .setStart(startMs())
                  .setEnd(endMs())
                  .build(),
              GoogleProfileProto.Profile.getDefaultInstance());
      assertThat(pprof).isEqualTo(restPprof);
      SelectSeriesResponse series =
          go(protocol, "SelectSeries", seriesRequest, SelectSeriesResponse.getDefaultInstance());
      assertThat(series).isEqualTo(javaSeries);
      assertThat(
              series.getSeries(0).getPointsList().stream().map(p -> (long) p.getValue()).toList())
          .isEqualTo(restValues);
    }
  }

  /**
   * The requests Grafana's Pyroscope data source sends (grafana/grafana,
   * pkg/tsdb/grafana-pyroscope-datasource: {@code pyroscopeClient.go} builds its client as {@code
   * querierv1connect.NewQuerierServiceClient(httpClient, url)}, the Go client's {@code connect}
   * mode; {@code query.go} and {@code instance.go} fill the messages as below): the health check
   * and profile-type picker, the label browser, and a "both" query (series at the panel interval,
   * at least the 15 s minimum step, and the flamegraph).
   */
  @Test
  void grafanasPyroscopeDataSourceRequests() throws Exception {
    ProfileTypesResponse types =
        go(
            "connect",
            "ProfileTypes",
            ProfileTypesRequest.newBuilder().setStart(startMs()).setEnd(endMs()).build(),
            ProfileTypesResponse.getDefaultInstance());
    assertThat(types.getProfileTypesList()).extracting(TypesProto.ProfileType::getID).contains(CPU);
    // The health check asks without a range (then: the last hour; types are kept per day).
    assertThat(
            go(
                    "connect",
                    "ProfileTypes",
                    ProfileTypesRequest.getDefaultInstance(),
                    ProfileTypesResponse.getDefaultInstance())
                .getProfileTypesList())
        .hasSizeLessThanOrEqualTo(1);
    LabelNamesResponse names =
        go(
            "connect",
            "LabelNames",
            LabelNamesRequest.newBuilder()
                .addMatchers("{}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            LabelNamesResponse.getDefaultInstance());
    assertThat(names.getNamesList()).contains("service_name", "host_name");
    LabelValuesResponse values =
        go(
            "connect",
            "LabelValues",
            LabelValuesRequest.newBuilder()
                .setName("service_name")
                .addMatchers("{}")
                .setStart(startMs())
                .setEnd(endMs())
                .build(),
            LabelValuesResponse.getDefaultInstance());
    assertThat(values.getNamesList()).containsExactly("api", "db");
    SelectSeriesResponse series =
        go(
            "connect",
            "SelectSeries",
            SelectSeriesRequest.newBuilder()
                .setProfileTypeID(CPU)
                .setLabelSelector("{service_name=\"db\"}")
                .setStart(startMs())
                .setEnd(endMs())
                .setStep(15)
                .setExemplarType(TypesProto.ExemplarType.EXEMPLAR_TYPE_NONE)
                .build(),
            SelectSeriesResponse.getDefaultInstance());
    assertThat(series.getSeriesCount()).isOne();
    assertThat(series.getSeries(0).getPointsList()).hasSize(6);
    assertThat(series.getSeries(0).getPoints(0).getTimestamp() % 15_000).isZero();
    SelectMergeStacktracesResponse fg =
        go(
            "connect",
            "SelectMergeStacktraces",
            merge("{service_name=\"db\"}").toBuilder().setMaxNodes(16384).build(),
            SelectMergeStacktracesResponse.getDefaultInstance());
    assertThat(fg.getFlamegraph().getNamesList())
        .contains("total", "main", "query", "scan", "sort");
    assertThat(fg.getFlamegraph().getLevels(0).getValues(1))
        .isEqualTo(fg.getFlamegraph().getTotal());
  }
}
