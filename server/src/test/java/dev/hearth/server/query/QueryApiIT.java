package dev.hearth.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.query.grpc.LabelValuesRequest;
import dev.hearth.query.grpc.QueryServiceGrpc;
import dev.hearth.query.grpc.SelectRequest;
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
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The query API as clients call it, over HTTP and gRPC with bearer tokens for two tenants, against
 * the embedded ClickHouse; data is written through the storage SPI.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {
  static final String TOKEN_A = "token-team-a-0123456789";
  static final String TOKEN_B = "token-team-b-0123456789";
  static final long SECOND = 1_000_000_000L;
  static final long HOUR = 3600 * SECOND;
  private static final int GRPC_PORT = freePort();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();
  static final String CPU = ProfileType.CPU.id();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    Path dataDir = Path.of("target", "it-query-" + UUID.randomUUID()).toAbsolutePath();
    registry.add("clickhouse.data-dir", dataDir::toString);
    registry.add("spring.grpc.server.port", () -> Integer.toString(GRPC_PORT));
    registry.add("hearth.auth.tokens." + TOKEN_A, () -> "team-a");
    registry.add("hearth.auth.tokens." + TOKEN_B, () -> "team-b");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;
  @Autowired ProfileStore store;

  @Autowired
  @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  private long from;
  private Profile api;
  private ManagedChannel channel;

  @BeforeAll
  void writeData() {
    from =
        Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS).toEpochMilli()
            * 1_000_000L;
    api =
        new Profile(
            ProfileType.CPU,
            LabelSet.of("service_name", "api", "host_name", "h1"),
            from + 60 * SECOND,
            10 * SECOND,
            10_000_000L,
            Temporality.DELTA,
            List.of(
                sample("main;handle;parse;decode", 900, 90),
                sample("main;handle;parse", 500, 50),
                sample("main;handle;render", 300, 30),
                sample("main;gc", 120, 12),
                sample("main", 40, 4)));
    store.writer().write(new WriteBatch("team-a", List.of(api))).block();
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
  }

  @AfterAll
  void closeChannel() {
    channel.shutdownNow();
  }

  private static Sample sample(String folded, long millis, long count) {
    return Sample.of(
        Stack.ofFunctionNamesRootFirst(List.of(folded.split(";"))), millis * 1_000_000L, count);
  }

  private String range() {
    return "&from=" + from / 1_000_000L + "&until=" + (from + HOUR) / 1_000_000L;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<byte[]> get(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode getJson(String pathAndQuery, String token, int status) throws Exception {
    HttpResponse<byte[]> r = get(pathAndQuery, token);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    return json.readTree(r.body());
  }

  @Test
  void flamegraphIsTheWrittenTreeForItsTenantOnly() throws Exception {
    String q = "/api/v1/flamegraph?query=" + enc(CPU + "{service_name=\"api\"}") + range();
    JsonNode fg = getJson(q, TOKEN_A, 200);
    assertThat(fg.get("version").asInt()).isEqualTo(1);
    assertThat(fg.get("unit").asString()).isEqualTo("nanoseconds");
    assertThat(FlamegraphJson.paths(fg))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(api))));

    JsonNode other = getJson(q, TOKEN_B, 200);
    assertThat(other.get("total").asLong()).isZero();
    assertThat(get(q, null).statusCode()).isEqualTo(401);
    assertThat(get(q, "wrong-token-0123456789").statusCode()).isEqualTo(401);
  }

  @Test
  void badParametersAre400sPointingAtTheCharacter() throws Exception {
    JsonNode e =
        getJson(
            "/api/v1/flamegraph?query=" + enc(CPU + "{service_name~\"api\"}") + range(),
            TOKEN_A,
            400);
    assertThat(e.get("parameter").asString()).isEqualTo("query");
    assertThat(e.get("column").asInt()).isEqualTo(CPU.length() + 14);
    assertThat(e.get("message").asString()).contains("expected '=', '!=', '=~' or '!~'");
    assertThat(
            getJson("/api/v1/series?query=" + enc(CPU) + "&from=now-1x", TOKEN_A, 400)
                .get("parameter")
                .asString())
        .isEqualTo("from");
    assertThat(
            getJson("/api/v1/flamegraph?query=" + enc("{a=\"b\"}"), TOKEN_A, 400)
                .get("message")
                .asString())
        .contains("no profile type");
    assertThat(
            getJson("/api/v1/flamegraph?query=" + enc(CPU) + "&maxNodes=99999999", TOKEN_A, 400)
                .get("message")
                .asString())
        .contains("hearth.query.max-nodes");
  }

  @Test
  void everyOperationAnswersOverRest() throws Exception {
    String sel = "query=" + enc(CPU + "{service_name=\"api\"}") + range();
    assertThat(getJson("/api/v1/profile-types?" + range().substring(1), TOKEN_A, 200).toString())
        .contains(CPU);
    assertThat(getJson("/api/v1/labels?" + range().substring(1), TOKEN_A, 200).get("names"))
        .extracting(JsonNode::asString)
        .containsExactly("host_name", "service_name");
    assertThat(
            getJson("/api/v1/label-values?name=service_name" + range(), TOKEN_A, 200).get("values"))
        .extracting(JsonNode::asString)
        .containsExactly("api");

    JsonNode top = getJson("/api/v1/top?" + sel + "&limit=2", TOKEN_A, 200);
    assertThat(top.get("functions").get(0).get("name").asString()).isEqualTo("decode");
    assertThat(top.get("functions").get(0).get("self").asLong()).isEqualTo(900_000_000L);
    assertThat(top.get("functions").get(1).get("name").asString()).isEqualTo("parse");

    JsonNode series = getJson("/api/v1/series?" + sel + "&step=1m", TOKEN_A, 200);
    assertThat(series.get("series").get(0).get("points").get(0).get(1).asLong())
        .isEqualTo(api.totalValue());

    JsonNode sandwich = getJson("/api/v1/sandwich?" + sel + "&function=parse", TOKEN_A, 200);
    assertThat(FlamegraphJson.paths(sandwich.get("callees")))
        .isEqualTo(
            Map.of(
                "", List.of(1_400_000_000L, 0L),
                "parse", List.of(1_400_000_000L, 500_000_000L),
                "parse;decode", List.of(900_000_000L, 900_000_000L)));

    String diff =
        "/api/v1/diff?leftQuery="
            + enc(CPU)
            + "&leftFrom="
            + from / 1_000_000L
            + "&leftUntil="
            + (from + HOUR) / 1_000_000L
            + "&rightQuery="
            + enc(CPU)
            + "&rightFrom="
            + from / 1_000_000L
            + "&rightUntil="
            + (from + HOUR) / 1_000_000L;
    JsonNode d = getJson(diff, TOKEN_A, 200);
    assertThat(d.get("kind").asString()).isEqualTo("diff");
    assertThat(d.get("leftTotal").asLong()).isEqualTo(api.totalValue());

    JsonNode correlate = getJson("/api/v1/correlate?" + range().substring(1), TOKEN_A, 200);
    assertThat(correlate.get("categories")).hasSize(4);

    String folded =
        new String(get("/api/v1/folded?" + sel, TOKEN_A).body(), StandardCharsets.UTF_8);
    assertThat(folded).contains("main;handle;parse;decode 900000000\n");
  }

  @Test
  void renderTakesARawBodyOrAMultipartUpload() throws Exception {
    HttpResponse<byte[]> raw =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/render?format=folded"))
                .header("Authorization", "Bearer " + TOKEN_A)
                .POST(HttpRequest.BodyPublishers.ofString("a;b 3\na;c 4\n"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(FlamegraphJson.paths(json.readTree(raw.body())))
        .containsEntry("a;c", List.of(4L, 4L))
        .containsEntry("", List.of(7L, 0L));

    byte[] pprof = dev.hearth.model.codec.pprof.PprofEncoder.encodeGzip(List.of(api));
    String boundary = "hearth-" + UUID.randomUUID();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"profile\"; filename=\"cpu.pb.gz\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(pprof);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> multipart =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + port + "/api/v1/render?profileType=" + enc(CPU)))
                .header("Authorization", "Bearer " + TOKEN_A)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(multipart.statusCode()).as(new String(multipart.body())).isEqualTo(200);
    assertThat(FlamegraphJson.paths(json.readTree(multipart.body())))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(api))));
  }

  @Test
  void goToolPprofReadsTheExportAndShowsTheSameTopFunctions() throws Exception {
    HttpResponse<byte[]> r =
        get("/api/v1/pprof?query=" + enc(CPU + "{service_name=\"api\"}") + range(), TOKEN_A);
    assertThat(r.statusCode()).isEqualTo(200);
    Path file = Files.createTempFile("hearth-", ".pb.gz");
    Files.write(file, r.body());
    Process go;
    try {
      go =
          new ProcessBuilder("go", "tool", "pprof", "-top", file.toString())
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "this test needs Go: install golang-go (apt-get install golang-go)", e);
    }
    String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(go.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(go.exitValue()).as(out).isZero();
    // Rows after the "flat flat% sum% cum cum%" header: the last column is the function.
    List<String> byFlat = new ArrayList<>();
    boolean rows = false;
    for (String line : out.split("\n")) {
      if (rows && !line.isBlank()) {
        String[] cols = line.strip().split("\\s+", 6);
        byFlat.add(cols[5]);
      }
      rows |= line.strip().startsWith("flat");
    }
    JsonNode top =
        getJson(
            "/api/v1/top?query=" + enc(CPU + "{service_name=\"api\"}") + range() + "&limit=4",
            TOKEN_A,
            200);
    List<String> ours = new ArrayList<>();
    top.get("functions").forEach(f -> ours.add(f.get("name").asString()));
    assertThat(byFlat.subList(0, 4)).as(out).isEqualTo(ours);
    assertThat(out).contains("Type: cpu");
  }

  @Test
  void grpcQueryServiceAnswersForTheTokensTenant() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN_A);
    QueryServiceGrpc.QueryServiceBlockingStub stub =
        QueryServiceGrpc.newBlockingStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    String fromMs = Long.toString(from / 1_000_000L);
    String untilMs = Long.toString((from + HOUR) / 1_000_000L);
    var fg =
        stub.flamegraph(
            SelectRequest.newBuilder()
                .setQuery(CPU + "{service_name=\"api\"}")
                .setFrom(fromMs)
                .setUntil(untilMs)
                .build());
    List<long[]> levels = new ArrayList<>();
    fg.getLevelsList()
        .forEach(l -> levels.add(l.getValuesList().stream().mapToLong(Long::longValue).toArray()));
    assertThat(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.decode(fg.getNamesList(), levels, 4)))
        .isEqualTo(FlamegraphPaths.totalsAndSelf(FlamegraphPaths.expected(List.of(api))));
    assertThat(
            stub.labelValues(
                    LabelValuesRequest.newBuilder()
                        .setName("host_name")
                        .setFrom(fromMs)
                        .setUntil(untilMs)
                        .build())
                .getValuesList())
        .containsExactly("h1");

    StatusRuntimeException bad =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () -> stub.flamegraph(SelectRequest.newBuilder().setQuery(CPU + "{a=b}").build()));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(bad.getStatus().getDescription()).contains("column");

    StatusRuntimeException anonymous =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                QueryServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .flamegraph(SelectRequest.newBuilder().setQuery(CPU).build()));
    assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyApiRouteIsInTheOpenApiDocument() throws Exception {
    Map<String, Object> doc;
    try (var in = Files.newInputStream(Path.of("../query/openapi.yaml"))) {
      doc = new Yaml().load(in);
    }
    Set<String> documented = new TreeSet<>();
    ((Map<String, Map<String, Object>>) doc.get("paths"))
        .forEach(
            (path, ops) ->
                ops.keySet()
                    .forEach(
                        m -> documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path)));
    Set<String> served = new TreeSet<>();
    Map<RequestMappingInfo, ?> handlers = new LinkedHashMap<>(mappings.getHandlerMethods());
    handlers
        .keySet()
        .forEach(
            info ->
                info.getPatternsCondition().getPatterns().stream()
                    .map(Object::toString)
                    .filter(p -> p.startsWith("/api/v1/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> served.add(m.name() + " " + p))));
    assertThat(served).isNotEmpty();
    assertThat(documented).containsAll(served);
    assertThat(served).containsAll(documented);
  }
}
