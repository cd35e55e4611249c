package dev.hearth.server.ingest;

import static dev.hearth.server.ingest.IngestClient.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.pyroscope.proto.JfrLabelsProto;
import dev.hearth.ingest.pyroscope.proto.PushProto;
import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Fixtures;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.model.codec.jfr.JfrDecoder;
import dev.hearth.model.codec.jfr.JfrOptions;
import dev.hearth.model.codec.otlp.OtlpEncoder;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofEncoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.storage.ProfileStore;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every ingest format over its real transport into the embedded ClickHouse, read back through
 * storage: values, counts, labels and stacks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestIT extends IngestITContext {
  private static final long SECOND = 1_000_000_000L;
  private static final long NOW = System.currentTimeMillis() / 1000 * SECOND;

  @LocalServerPort int port;
  @Autowired ProfileStore store;
  @Autowired dev.hearth.ingest.IngestCore core;
  @Autowired dev.hearth.server.storage.StorageConfiguration.Engine engine;

  private IngestClient client;
  private ManagedChannel channel;

  @BeforeAll
  void connect() {
    client = new IngestClient(port);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", GRPC_PORT).usePlaintext().build();
  }

  @AfterAll
  void disconnect() {
    channel.shutdownNow();
  }

  record VC(long value, long count) {}

  private Map<Long, VC> stored(ProfileType type, String service) {
    Map<Long, VC> out = new HashMap<>();
    for (StackValue v :
        store
            .queries()
            .mergedStacks(
                new SeriesSelection(
                    TENANT,
                    type,
                    List.of(LabelMatcher.eq("service_name", service)),
                    NOW - 40L * 86_400 * SECOND,
                    NOW + 86_400 * SECOND))
            .collectList()
            .block()) {
      out.put(v.stackId(), new VC(v.value(), v.count()));
    }
    return out;
  }

  private static Map<Long, VC> expected(List<Profile> profiles, ProfileType type) {
    Map<Long, VC> out = new HashMap<>();
    for (Profile p : profiles) {
      if (!p.type().equals(type)) {
        continue;
      }
      for (Sample s : p.samples()) {
        out.merge(
            s.stack().id(),
            new VC(s.value(), s.count()),
            (a, b) -> new VC(a.value() + b.value(), a.count() + b.count()));
      }
    }
    out.values().removeIf(vc -> vc.value() == 0 && vc.count() == 0);
    return out;
  }

  /** Stacks as folded text, read back from storage. */
  private List<String> storedStacks(Map<Long, VC> values) {
    Map<Long, Stack> stacks = store.queries().stacks(TENANT, values.keySet()).block();
    return stacks.values().stream().map(Stack::toString).sorted().toList();
  }

  private static List<String> stacksOf(List<Profile> profiles, ProfileType type) {
    return profiles.stream()
        .filter(p -> p.type().equals(type))
        .flatMap(p -> p.samples().stream())
        .filter(s -> s.value() != 0 || s.count() != 0)
        .map(Sample::stack)
        .distinct()
        .map(Stack::toString)
        .sorted()
        .toList();
  }

  private List<String> labelValues(String name, ProfileType type, String service) {
    return store
        .queries()
        .labelValues(
            TENANT,
            name,
            type,
            List.of(LabelMatcher.eq("service_name", service)),
            NOW - 40L * 86_400 * SECOND,
            NOW + 86_400 * SECOND)
        .collectList()
        .block();
  }

  private static void assertOk(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  @Order(1)
  void foldedThroughIngestIsStoredAsCpuNanoseconds() throws Exception {
    byte[] folded = Fixtures.bytes("perf.folded");
    long from = NOW / SECOND - 10;
    assertOk(
        client.post(
            "/ingest?name=folded-app.cpu%7Benv%3Dit%7D&from="
                + from
                + "&until="
                + (from + 10)
                + "&sampleRate=100&spyName=perf",
            "text/plain",
            folded));

    Profile want =
        FoldedCodec.decode(folded, ProfileType.CPU, 10_000_000L, from * SECOND, 10 * SECOND);
    Map<Long, VC> got = stored(ProfileType.CPU, "folded-app");
    assertThat(got).isEqualTo(expected(List.of(want), ProfileType.CPU)).isNotEmpty();
    assertThat(storedStacks(got)).isEqualTo(stacksOf(List.of(want), ProfileType.CPU));
    assertThat(labelValues("env", ProfileType.CPU, "folded-app")).containsExactly("it");
    assertThat(labelValues("pyroscope_spy", ProfileType.CPU, "folded-app")).containsExactly("perf");
  }

  @Test
  @Order(2)
  void rawGzipPprofThroughIngestKeepsEverySampleType() throws Exception {
    byte[] pprof = Fixtures.bytes("go-cpu.pb.gz");
    assertOk(client.post("/ingest?name=pprof-app&format=pprof", "application/octet-stream", pprof));

    List<Profile> want = PprofDecoder.decode(pprof, PprofOptions.goRuntime());
    assertThat(want).hasSize(2);
    for (Profile p : want) {
      Map<Long, VC> got = stored(p.type(), "pprof-app");
      assertThat(got).as(p.type().id()).isEqualTo(expected(want, p.type())).isNotEmpty();
      assertThat(storedStacks(got)).isEqualTo(stacksOf(want, p.type()));
    }
  }

  private static final Stack ALLOC_A = Stack.ofFunctionNamesRootFirst(List.of("main", "allocA"));
  private static final Stack ALLOC_B = Stack.ofFunctionNamesRootFirst(List.of("main", "allocB"));

  /** A Go-like heap profile: alloc_objects and alloc_space, counters since start. */
  private static byte[] heap(String service, long t, long objectsA, long objectsB) {
    List<Sample> objects = new ArrayList<>();
    List<Sample> space = new ArrayList<>();
    if (objectsA > 0) {
      objects.add(Sample.of(ALLOC_A, objectsA, objectsA));
      space.add(Sample.of(ALLOC_A, objectsA * 100, objectsA));
    }
    if (objectsB > 0) {
      objects.add(Sample.of(ALLOC_B, objectsB, objectsB));
      space.add(Sample.of(ALLOC_B, objectsB * 50, objectsB));
    }
    LabelSet labels = LabelSet.of("service_name", service);
    return PprofEncoder.encodeGzip(
        List.of(
            new Profile(
                ProfileType.ALLOC_OBJECTS, labels, t, 0, 524288, Temporality.DELTA, objects),
            new Profile(ProfileType.ALLOC_SPACE, labels, t, 0, 524288, Temporality.DELTA, space)));
  }

  @Test
  @Order(3)
  void cumulativePprofWithPrevProfileIsStoredAsTheDelta() throws Exception {
    byte[] prev = heap("heap-app", NOW - 20 * SECOND, 1, 0);
    byte[] cur = heap("heap-app", NOW - 10 * SECOND, 3, 1);
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put("profile", cur);
    parts.put("prev_profile", prev);
    parts.put(
        "sample_type_config",
        ("{\"alloc_objects\":{\"units\":\"objects\",\"cumulative\":true},"
                + "\"alloc_space\":{\"units\":\"bytes\",\"cumulative\":true}}")
            .getBytes(StandardCharsets.UTF_8));
    assertOk(
        client.post(
            "/ingest?name=heap-app&format=pprof",
            IngestClient.multipartType(),
            IngestClient.multipart(parts)));

    assertThat(stored(ProfileType.ALLOC_SPACE, "heap-app"))
        .isEqualTo(Map.of(ALLOC_A.id(), new VC(200, 2), ALLOC_B.id(), new VC(50, 1)));
    assertThat(stored(ProfileType.ALLOC_OBJECTS, "heap-app"))
        .isEqualTo(Map.of(ALLOC_A.id(), new VC(2, 2), ALLOC_B.id(), new VC(1, 1)));
  }

  @Test
  @Order(4)
  void jfrMultipartWithLabelsIsStoredPerType() throws Exception {
    byte[] jfr = Fixtures.bytes("java.jfr");
    JfrLabelsProto.LabelsSnapshot labels =
        JfrLabelsProto.LabelsSnapshot.newBuilder()
            .putStrings(1, "controller")
            .putStrings(2, "checkout")
            .putContexts(7, JfrLabelsProto.Context.newBuilder().putLabels(1, 2).build())
            .build();
    Map<String, byte[]> parts = new LinkedHashMap<>();
    parts.put("jfr", Gzip.gzip(jfr));
    parts.put("labels", labels.toByteArray());
    assertOk(
        client.post(
            "/ingest?name=jfr-app&format=jfr&sampleRate=100&spyName=javaspy",
            IngestClient.multipartType(),
            IngestClient.multipart(parts)));

    List<Profile> want =
        JfrDecoder.decode(
            jfr,
            JfrOptions.defaults()
                .withFallbackPeriod(Duration.ofMillis(10))
                .withThreadAttributes(false));
    assertThat(want).isNotEmpty();
    for (Profile p : want) {
      Map<Long, VC> got = stored(p.type(), "jfr-app");
      assertThat(got).as(p.type().id()).isEqualTo(expected(want, p.type()));
    }
    ProfileType cpu = want.getFirst().type();
    assertThat(storedStacks(stored(cpu, "jfr-app"))).isEqualTo(stacksOf(want, cpu));
  }

  private static PushProto.PushRequest push(String service, byte[] pprof, boolean cumulative) {
    PushProto.RawProfileSeries.Builder series =
        PushProto.RawProfileSeries.newBuilder()
            .addLabels(PushProto.LabelPair.newBuilder().setName("service_name").setValue(service))
            .addLabels(
                PushProto.LabelPair.newBuilder()
                    .setName("__name__")
                    .setValue(cumulative ? "memory" : "process_cpu"))
            .addLabels(PushProto.LabelPair.newBuilder().setName("region").setValue("eu"))
            .addSamples(
                PushProto.RawSample.newBuilder()
                    .setRawProfile(ByteString.copyFrom(pprof))
                    .setID(UUID.randomUUID().toString()));
    if (cumulative) {
      series.addLabels(PushProto.LabelPair.newBuilder().setName("__delta__").setValue("false"));
    }
    return PushProto.PushRequest.newBuilder().addSeries(series).build();
  }

  @Test
  @Order(5)
  void pushV1OverConnectInProtobufAndJson() throws Exception {
    byte[] pprof = Fixtures.bytes("go-cpu.pb.gz");
    HttpResponse<String> proto =
        client.post(
            "/push.v1.PusherService/Push",
            "application/proto",
            push("push-proto-app", pprof, false).toByteArray());
    assertOk(proto);
    String json = JsonFormat.printer().print(push("push-json-app", pprof, false));
    HttpResponse<String> viaJson =
        client.post(
            "/push.v1.PusherService/Push",
            "application/json",
            Gzip.gzip(json.getBytes(StandardCharsets.UTF_8)),
            Map.of("Content-Encoding", "gzip"));
    assertOk(viaJson);
    assertThat(viaJson.body()).isEqualTo("{}");

    List<Profile> want = PprofDecoder.decode(pprof, PprofOptions.defaults());
    for (String service : List.of("push-proto-app", "push-json-app")) {
      for (Profile p : want) {
        assertThat(stored(p.type(), service))
            .as(service + " " + p.type())
            .isEqualTo(expected(want, p.type()))
            .isNotEmpty();
      }
      assertThat(labelValues("region", want.getFirst().type(), service)).containsExactly("eu");
    }
  }

  @Test
  @Order(6)
  void cumulativePushesBecomeDeltasBetweenConsecutiveProfiles() throws Exception {
    assertOk(
        client.post(
            "/push.v1.PusherService/Push",
            "application/proto",
            push("push-heap-app", heap("x", NOW - 30 * SECOND, 5, 0), true).toByteArray()));
    assertThat(stored(ProfileType.ALLOC_SPACE, "push-heap-app")).isEmpty();
    assertOk(
        client.post(
            "/push.v1.PusherService/Push",
            "application/proto",
            push("push-heap-app", heap("x", NOW - 20 * SECOND, 8, 2), true).toByteArray()));
    assertThat(stored(ProfileType.ALLOC_SPACE, "push-heap-app"))
        .isEqualTo(Map.of(ALLOC_A.id(), new VC(300, 3), ALLOC_B.id(), new VC(100, 2)));
  }

  private static Profile cpuProfile(String service, String leaf, long value, int extraLabels) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("service_name", service);
    for (int i = 0; i < extraLabels; i++) {
      labels.put("extra_" + i, "v" + i);
    }
    return new Profile(
        ProfileType.CPU,
        LabelSet.of(labels),
        NOW - 5 * SECOND,
        SECOND,
        10_000_000L,
        Temporality.DELTA,
        List.of(
            Sample.of(Stack.ofFunctionNamesRootFirst(List.of("main", "serve", leaf)), value, 3)));
  }

  @Test
  @Order(7)
  void otlpHttpInProtobufAndGzipJson() throws Exception {
    Profile proto = cpuProfile("otlp-http-app", "protoLeaf", 30_000_000L, 0);
    HttpResponse<String> r1 =
        client.post(
            "/v1development/profiles",
            "application/x-protobuf",
            OtlpEncoder.toBytes(List.of(proto)));
    assertOk(r1);
    Profile json = cpuProfile("otlp-json-app", "jsonLeaf", 20_000_000L, 0);
    HttpResponse<String> r2 =
        client.post(
            "/v1development/profiles",
            "application/json",
            Gzip.gzip(OtlpEncoder.toJson(List.of(json)).getBytes(StandardCharsets.UTF_8)),
            Map.of("Content-Encoding", "gzip"));
    assertOk(r2);

    // OTLP cannot carry counts for a non-count unit: each sample counts 1.
    Stack protoStack = proto.samples().getFirst().stack();
    assertThat(stored(ProfileType.CPU, "otlp-http-app"))
        .isEqualTo(Map.of(protoStack.id(), new VC(30_000_000L, 1)));
    assertThat(storedStacks(stored(ProfileType.CPU, "otlp-json-app")))
        .containsExactly("main;serve;jsonLeaf");
  }

  @Test
  @Order(8)
  void otlpGrpcWithGzipReportsPartialSuccess() throws Exception {
    Profile good = cpuProfile("otlp-grpc-app", "grpcLeaf", 40_000_000L, 0);
    Profile tooManyLabels = cpuProfile("otlp-grpc-app", "refusedLeaf", 1, 12);
    byte[] request = OtlpEncoder.toBytes(List.of(good, tooManyLabels));

    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + IngestClient.TOKEN);
    ExportProfilesServiceResponse response =
        ClientCalls.blockingUnaryCall(
            io.grpc.ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
            OtlpGrpcService.EXPORT,
            CallOptions.DEFAULT.withCompression("gzip").withDeadlineAfter(30, TimeUnit.SECONDS),
            request);
    assertThat(response.getPartialSuccess().getRejectedProfiles()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("hearth.ingest.max-labels-per-series");
    assertThat(storedStacks(stored(ProfileType.CPU, "otlp-grpc-app")))
        .containsExactly("main;serve;grpcLeaf");
  }

  @Test
  @Order(8)
  void otlpFromOpentelemetryProtoOneNineIsConvertedNotMisread() throws Exception {
    long big = 5_000_000_000L; // more than 32 bits: a 1.11 parse would keep only the low ones
    byte[] request = Malformed.otlpOneNine("otlp-legacy-app", NOW - 3 * SECOND, big);
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + IngestClient.TOKEN);
    ExportProfilesServiceResponse response =
        ClientCalls.blockingUnaryCall(
            io.grpc.ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
            OtlpGrpcService.EXPORT,
            CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
            request);
    assertThat(response.hasPartialSuccess()).isFalse();
    assertOk(
        client.post(
            "/v1development/profiles",
            "application/x-protobuf",
            Malformed.otlpOneNine("otlp-legacy-http-app", NOW - 3 * SECOND, big)));

    Stack stack = Stack.ofFunctionNamesRootFirst(List.of("main", "work"));
    for (String service : List.of("otlp-legacy-app", "otlp-legacy-http-app")) {
      Map<Long, VC> got = stored(ProfileType.CPU, service);
      assertThat(got.values()).as(service).extracting(VC::value).containsExactly(big);
      assertThat(storedStacks(got)).containsExactly(stack.toString());
    }
  }

  @Test
  @Order(9)
  void deepStacksAreTruncatedUnderAMarkerAndCounted() throws Exception {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      line.append(i == 0 ? "" : ";").append("f").append(i);
    }
    line.append(" 4\n");
    assertOk(
        client.post(
            "/ingest?name=deep-app.cpu&sampleRate=100",
            "text/plain",
            line.toString().getBytes(StandardCharsets.UTF_8)));
    List<String> stacks = storedStacks(stored(ProfileType.CPU, "deep-app"));
    assertThat(stacks).hasSize(1);
    String[] frames = stacks.getFirst().split(";");
    assertThat(frames).hasSize(MAX_STACK_DEPTH);
    assertThat(frames[0]).isEqualTo("f0");
    assertThat(frames[frames.length - 1]).isEqualTo("[truncated]");
    assertThat(client.get("/metrics").body())
        .containsPattern("hearth_ingest_truncated_stacks_total\\{[^}]*tenant=\"team-a\"[^}]*\\} 1");
  }

  @Test
  @Order(10)
  void anExactRetryIsStoredOnce() throws Exception {
    byte[] folded = "main;retry 5\n".getBytes(StandardCharsets.UTF_8);
    String url = "/ingest?name=retry-app.cpu&sampleRate=100&from=" + (NOW / SECOND - 3);
    assertOk(client.post(url, "text/plain", folded));
    assertOk(client.post(url, "text/plain", folded));
    assertThat(stored(ProfileType.CPU, "retry-app").values())
        .containsExactly(new VC(50_000_000L, 5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.hearth.server.ingest.Malformed#rows")
  @Order(20)
  void malformedInputGetsItsStatusAndTheServerStaysUp(String name, Malformed.Row row)
      throws Exception {
    HttpResponse<String> response =
        client.post(row.path(), row.contentType(), row.body(), row.headers());
    assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(row.status());
    if (row.status() != 200 && row.status() != 401) {
      assertThat(response.body()).as(name).isNotBlank();
    }
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(21)
  void limitRefusalsNameTheLimitAndAreCounted() throws Exception {
    HttpResponse<String> response =
        client.post(
            "/ingest?name=app.cpu%7Benv%3D" + "y".repeat(101) + "%7D",
            "text/plain",
            "main 1\n".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("hearth.ingest.max-label-value-length");
    assertThat(client.get("/metrics").body())
        .containsPattern(
            "hearth_ingest_rejected_total\\{[^}]*reason=\"label_value_length\"[^}]*\\} [1-9]");
  }

  @Test
  @Order(30)
  void beyondTheInFlightCapClientsGet429WithARetryHint() throws Exception {
    try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
      // A client that declares a body just under the cap and sends it slowly holds its budget.
      slow.getOutputStream()
          .write(
              ("POST /ingest?name=slow.cpu HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Authorization: Bearer "
                      + IngestClient.TOKEN
                      + "\r\nContent-Type: text/plain\r\nContent-Length: 1048000\r\n\r\nmain 1\n")
                  .getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> core.inFlightBytes() >= 1_048_000);

      HttpResponse<String> refused =
          client.post("/ingest?name=other.cpu", "text/plain", new byte[1000]);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");

      ManagedChannel c = channel;
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + IngestClient.TOKEN);
      byte[] otlp = otlpRequest("grpc-overload").toByteArray();
      byte[] padded = java.util.Arrays.copyOf(otlp, otlp.length);
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  ClientCalls.blockingUnaryCall(
                      io.grpc.ClientInterceptors.intercept(
                          c, MetadataUtils.newAttachHeadersInterceptor(headers)),
                      OtlpGrpcService.EXPORT,
                      CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                      bigOtlp(padded)))
          .isInstanceOfSatisfying(
              io.grpc.StatusRuntimeException.class,
              e ->
                  assertThat(e.getStatus().getCode())
                      .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> core.inFlightBytes() == 0);
    assertOk(
        client.post(
            "/ingest?name=after-overload.cpu",
            "text/plain",
            "main 1\n".getBytes(StandardCharsets.UTF_8)));
  }

  /** An OTLP request padded (with an unknown field) to take more than the remaining budget. */
  private static byte[] bigOtlp(byte[] otlp) {
    byte[] pad = new Malformed.Wire().message(99, new byte[4096]).bytes();
    byte[] out = java.util.Arrays.copyOf(otlp, otlp.length + pad.length);
    System.arraycopy(pad, 0, out, otlp.length, pad.length);
    return out;
  }

  @Test
  @Order(40)
  void afterAllThatTheServerIsHealthyAndEarlierDataIsIntact() throws Exception {
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    byte[] folded = Fixtures.bytes("perf.folded");
    Profile want = FoldedCodec.decode(folded, ProfileType.CPU, 10_000_000L, NOW, SECOND);
    assertThat(stored(ProfileType.CPU, "folded-app"))
        .isEqualTo(expected(List.of(want), ProfileType.CPU));
    assertThat(stored(ProfileType.CPU, "empty-app")).isEmpty();
  }

  @Test
  @Order(50)
  void acknowledgedDataSurvivesClickHouseDyingMidLoad() throws Exception {
    java.util.Set<Integer> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.Set<Integer> statuses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    long from = NOW / SECOND - 1;
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread sender =
          Thread.ofPlatform()
              .start(
                  () -> {
                    while (!stop.get()) {
                      int id = next.incrementAndGet();
                      try {
                        HttpResponse<String> r =
                            client.post(
                                "/ingest?name=durable-app.cpu&sampleRate=100&from=" + from,
                                "text/plain",
                                ("main;load;req" + id + " 1\n").getBytes(StandardCharsets.UTF_8));
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 200) {
                          acknowledged.add(id);
                        }
                      } catch (Exception e) {
                        statuses.add(-1);
                      }
                    }
                  });
      senders.add(sender);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> acknowledged.size() >= 20);
    var ch = engine.embedded();
    long pid = ch.pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !ch.isAlive());
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> ch.isAlive() && ch.pid() != pid && client.get("/health").statusCode() == 200);
    int atRestart = acknowledged.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= atRestart + 20);
    stop.set(true);
    for (Thread s : senders) {
      s.join(60_000);
    }

    assertThat(statuses).contains(200, 503);
    Map<Long, VC> stored = stored(ProfileType.CPU, "durable-app");
    for (int id : acknowledged) {
      Stack stack = Stack.ofFunctionNamesRootFirst(List.of("main", "load", "req" + id));
      assertThat(stored.get(stack.id()))
          .as("acknowledged request " + id)
          .isEqualTo(new VC(10_000_000L, 1));
    }
  }

  static Profile otlpRequestProfile(String service) {
    return cpuProfile(service, "leaf", 10, 0);
  }

  static ExportProfilesServiceRequest otlpRequest(String service) {
    return OtlpEncoder.encode(List.of(cpuProfile(service, "leaf", 10, 0)));
  }
}
