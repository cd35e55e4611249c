package dev.hearth.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.query.grpc.CorrelateRequest;
import dev.hearth.query.grpc.CorrelateResponse;
import dev.hearth.query.grpc.DiffRequest;
import dev.hearth.query.grpc.FlamegraphResult;
import dev.hearth.query.grpc.LabelNamesRequest;
import dev.hearth.query.grpc.LabelNamesResponse;
import dev.hearth.query.grpc.LabelValuesRequest;
import dev.hearth.query.grpc.LabelValuesResponse;
import dev.hearth.query.grpc.ProfileTypesRequest;
import dev.hearth.query.grpc.ProfileTypesResponse;
import dev.hearth.query.grpc.QueryServiceGrpc;
import dev.hearth.query.grpc.RawResponse;
import dev.hearth.query.grpc.RenderRequest;
import dev.hearth.query.grpc.SandwichRequest;
import dev.hearth.query.grpc.SandwichResponse;
import dev.hearth.query.grpc.SelectRequest;
import dev.hearth.query.grpc.SeriesRequest;
import dev.hearth.query.grpc.SeriesResponse;
import dev.hearth.query.grpc.TopRequest;
import dev.hearth.query.grpc.TopResponse;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.WriteBatch;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * The query contract: every operation called over REST, gRPC and Connect (protobuf and JSON) with
 * the same request gives the same answer, and the same bad request the same error, mapped to each
 * protocol's status and naming the field. Real server, embedded ClickHouse, bearer tokens.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryContractIT {
  static final String TOKEN = "token-contract-0123456789";
  static final long SECOND = 1_000_000_000L;
  static final long HOUR = 3600 * SECOND;
  static final String CPU = ProfileType.CPU.id();
  private static final int GRPC_PORT = freePort();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "it-contract-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    registry.add("hearth.auth.tokens." + TOKEN, () -> "team-c");
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;
  @Autowired ProfileStore store;

  long from;
  ManagedChannel channel;
  QueryServiceGrpc.QueryServiceBlockingStub grpc;

  @BeforeAll
  void writeData() {
    from =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
    List<Profile> profiles = new ArrayList<>();
    for (int minute = 0; minute < 30; minute += 5) {
      profiles.add(
          profile(
              "api",
              from + minute * 60 * SECOND,
              sample("main;handle;parse;decode", 900 + minute, 90),
              sample("main;handle;render", 300, 30),
              sample("main;gc", 120 + minute, 12)));
      profiles.add(
          profile(
              "db",
              from + minute * 60 * SECOND + SECOND,
              sample("main;query;scan", 700, 70),
              sample("main;query;sort", 200 + 2 * minute, 20)));
    }
    store.writer().write(new WriteBatch("team-c", profiles)).block();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
    grpc = authorized(QueryServiceGrpc.newBlockingStub(channel));
  }

  @AfterAll
  void closeChannel() {
    channel.shutdownNow();
  }

  static Profile profile(String service, long at, Sample... samples) {
    return new Profile(
        ProfileType.CPU,
        LabelSet.of("service_name", service, "host_name", "h-" + service),
        at,
        10 * SECOND,
        10_000_000L,
        Temporality.DELTA,
        List.of(samples));
  }

  static Sample sample(String folded, long millis, long count) {
    return Sample.of(
        Stack.ofFunctionNamesRootFirst(List.of(folded.split(";"))), millis * 1_000_000L, count);
  }

  <S extends AbstractBlockingStub<S>> S authorized(S stub) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  String fromMs() {
    return Long.toString(from / 1_000_000L);
  }

  String untilMs() {
    return Long.toString((from + HOUR) / 1_000_000L);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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

  /** A Connect unary call; {@code asJson} sends and reads protobuf JSON instead of binary. */
  HttpResponse<byte[]> connectCall(String path, Message request, boolean asJson) throws Exception {
    byte[] body =
        asJson
            ? JsonFormat.printer().print(request).getBytes(StandardCharsets.UTF_8)
            : request.toByteArray();
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", asJson ? "application/json" : "application/proto")
            .header("Connect-Protocol-Version", "1")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @SuppressWarnings("unchecked")
  <R extends Message> R connect(String path, Message request, R prototype, boolean asJson)
      throws Exception {
    HttpResponse<byte[]> r = connectCall(path, request, asJson);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    if (!asJson) {
      return (R) prototype.getParserForType().parseFrom(r.body());
    }
    Message.Builder b = prototype.newBuilderForType();
    JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), b);
    return (R) b.build();
  }

  /**
   * Calls Hearth's {@code QueryService} method over gRPC and over Connect (binary and JSON) and
   * checks the three answers are the same message.
   */
  <Q extends Message, R extends Message> R hearth(
      String method, Q request, Function<Q, R> viaGrpc, R prototype) throws Exception {
    R overGrpc = viaGrpc.apply(request);
    String path = "/hearth.query.v1.QueryService/" + method;
    assertThat(connect(path, request, prototype, false)).isEqualTo(overGrpc);
    assertThat(connect(path, request, prototype, true)).isEqualTo(overGrpc);
    return overGrpc;
  }

  static List<List<Long>> levels(JsonNode fg) {
    List<List<Long>> out = new ArrayList<>();
    for (JsonNode level : fg.get("levels")) {
      List<Long> values = new ArrayList<>();
      level.forEach(v -> values.add(v.asLong()));
      out.add(values);
    }
    return out;
  }

  static List<List<Long>> levels(List<dev.hearth.query.grpc.Level> levels) {
    return levels.stream().map(l -> List.copyOf(l.getValuesList())).toList();
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  static void sameFlamegraph(JsonNode rest, FlamegraphResult grpc) {
    assertThat(grpc.getNamesList()).isEqualTo(strings(rest.get("names")));
    assertThat(levels(grpc.getLevelsList())).isEqualTo(levels(rest));
    assertThat(grpc.getTotal()).isEqualTo(rest.get("total").asLong());
    assertThat(grpc.getMaxSelf()).isEqualTo(rest.get("maxSelf").asLong());
    assertThat(grpc.getKind()).isEqualTo(rest.get("kind").asString());
    assertThat(grpc.getTotal()).isPositive();
  }

  String sel() {
    return "query="
        + enc(CPU + "{service_name=\"api\"}")
        + "&from="
        + fromMs()
        + "&until="
        + untilMs();
  }

  SelectRequest select() {
    return SelectRequest.newBuilder()
        .setQuery(CPU + "{service_name=\"api\"}")
        .setFrom(fromMs())
        .setUntil(untilMs())
        .build();
  }

  @Test
  void profileTypesLabelsAndLabelValuesAgree() throws Exception {
    String range = "from=" + fromMs() + "&until=" + untilMs();
    ProfileTypesResponse types =
        hearth(
            "ProfileTypes",
            ProfileTypesRequest.newBuilder().setFrom(fromMs()).setUntil(untilMs()).build(),
            grpc::profileTypes,
            ProfileTypesResponse.getDefaultInstance());
    List<String> restTypes = new ArrayList<>();
    rest("/api/v1/profile-types?" + range)
        .get("profileTypes")
        .forEach(t -> restTypes.add(t.get("id").asString()));
    assertThat(types.getProfileTypesList().stream().map(t -> t.getId()).toList())
        .isEqualTo(restTypes)
        .containsExactly(CPU);

    LabelNamesResponse names =
        hearth(
            "LabelNames",
            LabelNamesRequest.newBuilder().setFrom(fromMs()).setUntil(untilMs()).build(),
            grpc::labelNames,
            LabelNamesResponse.getDefaultInstance());
    assertThat(names.getNamesList())
        .isEqualTo(strings(rest("/api/v1/labels?" + range).get("names")))
        .containsExactly("host_name", "service_name");

    LabelValuesResponse values =
        hearth(
            "LabelValues",
            LabelValuesRequest.newBuilder()
                .setName("service_name")
                .setFrom(fromMs())
                .setUntil(untilMs())
                .build(),
            grpc::labelValues,
            LabelValuesResponse.getDefaultInstance());
    assertThat(values.getValuesList())
        .isEqualTo(strings(rest("/api/v1/label-values?name=service_name&" + range).get("values")))
        .containsExactly("api", "db");
  }

  @Test
  void flamegraphDiffSandwichAndRenderAgree() throws Exception {
    FlamegraphResult fg =
        hearth("Flamegraph", select(), grpc::flamegraph, FlamegraphResult.getDefaultInstance());
    sameFlamegraph(rest("/api/v1/flamegraph?" + sel()), fg);

    FlamegraphResult small =
        hearth(
            "Flamegraph",
            select().toBuilder().setMaxNodes(3).build(),
            grpc::flamegraph,
            FlamegraphResult.getDefaultInstance());
    sameFlamegraph(rest("/api/v1/flamegraph?" + sel() + "&maxNodes=3"), small);
    assertThat(small.getTruncated()).isTrue();

    String half = Long.toString((from + HOUR / 4) / 1_000_000L);
    FlamegraphResult diff =
        hearth(
            "Diff",
            DiffRequest.newBuilder()
                .setLeftQuery(CPU)
                .setLeftFrom(fromMs())
                .setLeftUntil(half)
                .setRightQuery(CPU)
                .setRightFrom(half)
                .setRightUntil(untilMs())
                .build(),
            grpc::diff,
            FlamegraphResult.getDefaultInstance());
    JsonNode restDiff =
        rest(
            "/api/v1/diff?leftQuery="
                + enc(CPU)
                + "&leftFrom="
                + fromMs()
                + "&leftUntil="
                + half
                + "&rightQuery="
                + enc(CPU)
                + "&rightFrom="
                + half
                + "&rightUntil="
                + untilMs());
    sameFlamegraph(restDiff, diff);
    assertThat(diff.getLeftTotal()).isEqualTo(restDiff.get("leftTotal").asLong()).isPositive();
    assertThat(diff.getRightTotal()).isEqualTo(restDiff.get("rightTotal").asLong()).isPositive();

    SandwichResponse sandwich =
        hearth(
            "Sandwich",
            SandwichRequest.newBuilder()
                .setQuery(select().getQuery())
                .setFrom(fromMs())
                .setUntil(untilMs())
                .setFunction("parse")
                .build(),
            grpc::sandwich,
            SandwichResponse.getDefaultInstance());
    JsonNode restSandwich = rest("/api/v1/sandwich?" + sel() + "&function=parse");
    sameFlamegraph(restSandwich.get("callers"), sandwich.getCallers());
    sameFlamegraph(restSandwich.get("callees"), sandwich.getCallees());

    byte[] folded = "a;b 3\na;c 4\n".getBytes(StandardCharsets.UTF_8);
    FlamegraphResult rendered =
        hearth(
            "Render",
            RenderRequest.newBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(folded))
                .setFormat("folded")
                .build(),
            grpc::render,
            FlamegraphResult.getDefaultInstance());
    HttpResponse<byte[]> restRender =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/render?format=folded"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(folded))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    sameFlamegraph(json.readTree(restRender.body()), rendered);
  }

  @Test
  void seriesTopCorrelateAndExportsAgree() throws Exception {
    SeriesResponse series =
        hearth(
            "Series",
            SeriesRequest.newBuilder()
                .setQuery(CPU)
                .setFrom(fromMs())
                .setUntil(untilMs())
                .setStep("5m")
                .addGroupBy("service_name")
                .setLimit(1)
                .build(),
            grpc::series,
            SeriesResponse.getDefaultInstance());
    JsonNode restSeries =
        rest(
            "/api/v1/series?query="
                + enc(CPU)
                + "&from="
                + fromMs()
                + "&until="
                + untilMs()
                + "&step=5m&groupBy=service_name&limit=1");
    assertThat(series.getSeriesCount()).isEqualTo(1);
    assertThat(series.getOmittedGroups())
        .isEqualTo(restSeries.get("omittedGroups").asInt())
        .isOne();
    assertThat(series.getStepMillis()).isEqualTo(restSeries.get("stepMillis").asLong());
    JsonNode first = restSeries.get("series").get(0);
    assertThat(series.getSeries(0).getLabelsMap())
        .isEqualTo(Map.of("service_name", first.get("labels").get("service_name").asString()));
    List<List<Long>> restPoints = new ArrayList<>();
    first
        .get("points")
        .forEach(
            p -> restPoints.add(List.of(p.get(0).asLong(), p.get(1).asLong(), p.get(2).asLong())));
    assertThat(
            series.getSeries(0).getPointsList().stream()
                .map(p -> List.of(p.getTimestampMillis(), p.getValue(), p.getCount()))
                .toList())
        .isEqualTo(restPoints)
        .hasSize(6);

    TopResponse top =
        hearth(
            "Top",
            TopRequest.newBuilder()
                .setQuery(select().getQuery())
                .setFrom(fromMs())
                .setUntil(untilMs())
                .setLimit(3)
                .setOrderBy("total")
                .build(),
            grpc::top,
            TopResponse.getDefaultInstance());
    JsonNode restTop = rest("/api/v1/top?" + sel() + "&limit=3&orderBy=total");
    List<String> restTopNames = new ArrayList<>();
    restTop
        .get("functions")
        .forEach(f -> restTopNames.add(f.get("name").asString() + "=" + f.get("total").asLong()));
    assertThat(top.getFunctionsList().stream().map(f -> f.getName() + "=" + f.getTotal()).toList())
        .isEqualTo(restTopNames)
        .hasSize(3);

    CorrelateResponse correlate =
        hearth(
            "Correlate",
            CorrelateRequest.newBuilder().setFrom(fromMs()).setUntil(untilMs()).setTopK(5).build(),
            grpc::correlate,
            CorrelateResponse.getDefaultInstance());
    JsonNode restCorrelate =
        rest("/api/v1/correlate?from=" + fromMs() + "&until=" + untilMs() + "&topK=5");
    assertThat(correlate.getStepMillis()).isEqualTo(restCorrelate.get("stepMillis").asLong());
    assertThat(correlate.getCategoriesCount()).isEqualTo(restCorrelate.get("categories").size());

    RawResponse pprof = hearth("Pprof", select(), grpc::pprof, RawResponse.getDefaultInstance());
    assertThat(gunzip(pprof.getData().toByteArray()))
        .isEqualTo(gunzip(get("/api/v1/pprof?" + sel()).body()));
    RawResponse folded = hearth("Folded", select(), grpc::folded, RawResponse.getDefaultInstance());
    assertThat(folded.getData().toByteArray()).isEqualTo(get("/api/v1/folded?" + sel()).body());
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** The same bad request over REST, gRPC and Connect: one error, named field, mapped status. */
  void sameError(
      String restPath, String method, Message request, Runnable viaGrpc, String field, String text)
      throws Exception {
    HttpResponse<byte[]> r = get(restPath);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
    JsonNode restError = json.readTree(r.body());
    assertThat(restError.get("parameter").asString()).isEqualTo(field);
    assertThat(restError.get("code").asString()).isEqualTo("invalid_argument");
    assertThat(restError.get("message").asString()).contains(text);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, viaGrpc::run);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).startsWith(grpcField(field) + ": ").contains(text);

    for (boolean asJson : new boolean[] {false, true}) {
      HttpResponse<byte[]> c =
          connectCall("/hearth.query.v1.QueryService/" + method, request, asJson);
      assertThat(c.statusCode()).isEqualTo(400);
      JsonNode connectError = json.readTree(c.body());
      assertThat(connectError.get("code").asString()).isEqualTo("invalid_argument");
      assertThat(connectError.get("parameter").asString()).isEqualTo(grpcField(field));
      assertThat(connectError.get("message").asString()).contains(text);
    }
  }

  static String grpcField(String restName) {
    return restName.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void badInputIsTheSameErrorOnEveryProtocol() throws Exception {
    // gRPC used to run a negative limit into an INTERNAL error; REST capped it.
    SeriesRequest negative = SeriesRequest.newBuilder().setQuery(CPU).setLimit(-1).build();
    sameError(
        "/api/v1/series?query=" + enc(CPU) + "&limit=-1",
        "Series",
        negative,
        () -> grpc.series(negative),
        "limit",
        "must be between 1 and 10000, not -1");
    TopRequest huge = TopRequest.newBuilder().setQuery(CPU).setLimit(1_000_000).build();
    sameError(
        "/api/v1/top?query=" + enc(CPU) + "&limit=1000000",
        "Top",
        huge,
        () -> grpc.top(huge),
        "limit",
        "must be between 1 and 100000");
    CorrelateRequest topK = CorrelateRequest.newBuilder().setTopK(50_000).build();
    sameError(
        "/api/v1/correlate?topK=50000",
        "Correlate",
        topK,
        () -> grpc.correlate(topK),
        "topK",
        "must be between 1 and 10000");
    SelectRequest nodes = select().toBuilder().setMaxNodes(1).build();
    sameError(
        "/api/v1/flamegraph?" + sel() + "&maxNodes=1",
        "Flamegraph",
        nodes,
        () -> grpc.flamegraph(nodes),
        "maxNodes",
        "hearth.query.max-nodes");
    LabelValuesRequest noName = LabelValuesRequest.getDefaultInstance();
    sameError(
        "/api/v1/label-values",
        "LabelValues",
        noName,
        () -> grpc.labelValues(noName),
        "name",
        "is required");
    DiffRequest otherType =
        DiffRequest.newBuilder().setLeftQuery(CPU).setRightQuery(ProfileType.OFF_CPU.id()).build();
    sameError(
        "/api/v1/diff?leftQuery=" + enc(CPU) + "&rightQuery=" + enc(ProfileType.OFF_CPU.id()),
        "Diff",
        otherType,
        () -> grpc.diff(otherType),
        "rightQuery",
        "differs from the left side's");
  }

  @Test
  void connectRefusesWhatItCannotReadInConnectShape() throws Exception {
    HttpResponse<byte[]> unknown =
        connectCall("/hearth.query.v1.QueryService/Nope", select(), false);
    assertThat(unknown.statusCode()).isEqualTo(501);
    assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("unimplemented");

    HttpResponse<byte[]> garbage =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/hearth.query.v1.QueryService/Flamegraph"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/proto")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2}))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json.readTree(garbage.body()).get("message").asString())
        .contains("not a valid protobuf hearth.query.v1.SelectRequest");

    HttpResponse<byte[]> text =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/hearth.query.v1.QueryService/Flamegraph"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hi"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(json.readTree(text.body()).get("code").asString()).isEqualTo("invalid_argument");

    HttpResponse<byte[]> anonymous =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/hearth.query.v1.QueryService/Flamegraph"))
                .header("Content-Type", "application/proto")
                .POST(HttpRequest.BodyPublishers.ofByteArray(select().toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }
}
