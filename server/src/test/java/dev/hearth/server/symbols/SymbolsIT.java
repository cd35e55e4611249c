package dev.hearth.server.symbols;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import dev.hearth.server.query.FlamegraphJson;
import dev.hearth.storage.ProfileStore;
import dev.hearth.symbols.Symbolizer;
import dev.hearth.symbols.SymbolsListener;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.Function;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.Link;
import io.opentelemetry.proto.profiles.v1development.Mapping;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.Stack;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import io.opentelemetry.proto.resource.v1.Resource;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
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
 * Server-side symbolisation end to end: a stripped C binary's frames arrive as OTLP (mapping with
 * the GNU build id, addresses inside the mapping, no function names) through the real ingest API,
 * and come back named — with inlined frames, files and lines — from {@code /api/v1/flamegraph} and
 * {@code /api/v1/pprof}, with the debug file served by Debian's real {@code debuginfod}, uploaded
 * through {@code PUT /api/v1/symbols/{buildId}}, or found in a local directory ({@code .build-id}
 * tree or plain ELF files). Missing and corrupt debug info leave the frames as {@code
 * file+0xoffset}, counted on {@code /metrics}, and the query still answers 200.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SymbolsIT {
  static final String TOKEN = "symbols-it-token-0123456789";
  static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
  static final long SECOND = 1_000_000_000L;

  /** Where the stripped binary is mapped in the pretend process: text at file offset 0x1000. */
  static final long TEXT_START = 0x5555_5555_5000L;

  static final long FILE_OFFSET = 0x1000;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper json = new ObjectMapper();

  private static Path work;
  private static Map<String, ChainProgram> programs;
  private static Process debuginfod;

  @LocalServerPort int port;
  @Autowired ProfileStore store;

  /** Variants by where their debug file is; each has its own build id. */
  static final List<String> VARIANTS =
      List.of("debuginfod", "upload", "tree", "plain", "corrupt", "missing", "restart");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws Exception {
    work = Path.of("target", "it-symbols-" + UUID.randomUUID()).toAbsolutePath();
    programs = new HashMap<>();
    for (String v : VARIANTS) {
      programs.put(v, ChainProgram.build(work.resolve("build"), v));
    }
    // debuginfod indexes a directory holding only the debuginfod variant's debug file.
    Path served = Files.createDirectories(work.resolve("debuginfod-root"));
    Files.copy(programs.get("debuginfod").debug(), served.resolve("chain.debug"));
    int debuginfodPort = freePort();
    debuginfod = startDebuginfod(served, debuginfodPort);
    // A .build-id tree (as /usr/lib/debug has) with one good and one corrupt debug file.
    Path tree = work.resolve("debug-tree");
    for (String v : List.of("tree", "restart")) {
      put(tree, programs.get(v).buildId(), Files.readAllBytes(programs.get(v).debug()));
    }
    byte[] corrupt = Files.readAllBytes(programs.get("corrupt").debug());
    put(tree, programs.get("corrupt").buildId(), java.util.Arrays.copyOf(corrupt, 200));
    // A directory of plain ELF files: the unstripped binary under an unrelated name.
    Path plain = Files.createDirectories(work.resolve("plain-elf/opt/app"));
    Files.copy(programs.get("plain").binary(), plain.resolve("server-binary"));

    registry.add("clickhouse.data-dir", () -> work.resolve("data").toString());
    registry.add("spring.grpc.server.port", () -> Integer.toString(freePort()));
    registry.add("hearth.auth.tokens." + TOKEN, () -> "team-s");
    registry.add("hearth.symbols.debuginfod-urls", () -> "http://127.0.0.1:" + debuginfodPort);
    registry.add("hearth.symbols.directories[0]", tree::toString);
    registry.add("hearth.symbols.directories[1]", () -> work.resolve("plain-elf").toString());
    registry.add("hearth.symbols.query-wait", () -> "20s");
  }

  private static void put(Path tree, String buildId, byte[] bytes) throws IOException {
    Path p =
        tree.resolve(
            ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug");
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  /** Debian's debuginfod over {@code dir}, up once it serves the debug file it indexed. */
  private static Process startDebuginfod(Path dir, int port) throws Exception {
    Process p;
    try {
      ProcessBuilder pb =
          new ProcessBuilder(
                  "debuginfod",
                  "-F",
                  "-p",
                  Integer.toString(port),
                  "-d",
                  work.resolve("debuginfod.sqlite").toString(),
                  "-t",
                  "0",
                  "-g",
                  "0",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("debuginfod.log").toFile());
      pb.environment().remove("DEBUGINFOD_URLS"); // no federation to servers elsewhere
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError("this test needs debuginfod: apt-get install debuginfod", e);
    }
    URI probe =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/buildid/"
                + programs.get("debuginfod").buildId()
                + "/debuginfo");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<byte[]> r =
            http.send(
                HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          return p;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            "debuginfod exited: " + Files.readString(work.resolve("debuginfod.log")));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("debuginfod did not serve the debug file within 60 s");
  }

  @AfterAll
  static void stopDebuginfod() throws InterruptedException {
    if (debuginfod != null) {
      debuginfod.destroy();
      debuginfod.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- the profile, as a producer that does not symbolise sends it ----

  /** Two hours ago: a closed range, so the query result cache is in play too. */
  private final long profileTime =
      Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.HOURS).toEpochMilli()
          * 1_000_000L;

  /**
   * One OTLP profile with one stack main → a → b → hot of the stripped binary: one mapping with the
   * GNU build id and the text segment's address range, four locations with runtime addresses and no
   * lines, as the OpenTelemetry eBPF profiler sends native frames.
   */
  private byte[] otlp(ChainProgram program) {
    List<String> strings = new ArrayList<>(List.of(""));
    java.util.function.Function<String, Integer> s =
        v -> {
          int i = strings.indexOf(v);
          if (i < 0) {
            strings.add(v);
            i = strings.size() - 1;
          }
          return i;
        };
    ProfilesDictionary.Builder d =
        ProfilesDictionary.newBuilder()
            .addMappingTable(Mapping.getDefaultInstance())
            .addLocationTable(
                io.opentelemetry.proto.profiles.v1development.Location.getDefaultInstance())
            .addFunctionTable(Function.getDefaultInstance())
            .addStackTable(Stack.getDefaultInstance())
            .addAttributeTable(KeyValueAndUnit.getDefaultInstance())
            .addLinkTable(Link.getDefaultInstance());
    d.addAttributeTable(
        KeyValueAndUnit.newBuilder()
            .setKeyStrindex(s.apply("process.executable.build_id.gnu"))
            .setValue(AnyValue.newBuilder().setStringValue(program.buildId())));
    d.addAttributeTable(
        KeyValueAndUnit.newBuilder()
            .setKeyStrindex(s.apply("profile.frame.type"))
            .setValue(AnyValue.newBuilder().setStringValue("native")));
    d.addMappingTable(
        Mapping.newBuilder()
            .setFilenameStrindex(s.apply("/opt/app/chain-" + program.variant()))
            .setMemoryStart(TEXT_START)
            .setMemoryLimit(TEXT_START + 0x1000)
            .setFileOffset(FILE_OFFSET)
            .addAttributeIndices(1));
    Stack.Builder stack = Stack.newBuilder();
    for (ChainProgram.Frame f : program.frames().values()) {
      d.addLocationTable(
          io.opentelemetry.proto.profiles.v1development.Location.newBuilder()
              .setMappingIndex(1)
              .setAddress(TEXT_START + f.address() - FILE_OFFSET)
              .addAttributeIndices(2));
      stack.addLocationIndices(d.getLocationTableCount() - 1);
    }
    d.addStackTable(stack);
    ValueType cpu =
        ValueType.newBuilder()
            .setTypeStrindex(s.apply("cpu"))
            .setUnitStrindex(s.apply("nanoseconds"))
            .build();
    var profile =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(cpu)
            .setPeriodType(cpu)
            .setPeriod(10_000_000L)
            .setTimeUnixNano(profileTime)
            .setDurationNano(10 * SECOND)
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .setStackIndex(1)
                    .addValues(420_000_000L));
    d.addAllStringTable(strings);
    Resource resource =
        Resource.newBuilder()
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue("chain-" + program.variant())))
            .build();
    return ExportProfilesServiceRequest.newBuilder()
        .addResourceProfiles(
            ResourceProfiles.newBuilder()
                .setResource(resource)
                .addScopeProfiles(ScopeProfiles.newBuilder().addProfiles(profile)))
        .setDictionary(d.build())
        .build()
        .toByteArray();
  }

  private void push(ChainProgram program) throws Exception {
    HttpResponse<byte[]> r =
        send(
            HttpRequest.newBuilder(uri("/v1development/profiles"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(otlp(program))));
    assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
  }

  // ---- the tests ----

  @Test
  void debuginfodServesTheDebugFile() throws Exception {
    assertNamedWithLines(programs.get("debuginfod"));
  }

  @Test
  void aLocalBuildIdTreeServesTheDebugFile() throws Exception {
    assertNamedWithLines(programs.get("tree"));
  }

  @Test
  void aDirectoryOfPlainElfFilesIsIndexedByBuildId() throws Exception {
    assertNamedWithLines(programs.get("plain"));
  }

  @Test
  void anUploadNamesFramesOfDataSentBeforeIt() throws Exception {
    ChainProgram p = programs.get("upload");
    push(p);
    String unnamed = "chain-upload+0x" + Long.toHexString(p.frames().get("hot").address());
    assertThat(flamegraphPaths(p)).containsKey(unnamedPath(p));
    assertThat(flamegraphPaths(p).keySet()).anyMatch(k -> k.endsWith(unnamed));

    String id = p.buildId();
    assertThat(send(get("/api/v1/symbols/" + id)).statusCode()).isEqualTo(404);
    // Refused: no credentials; not ELF; another binary's debug file; not a build id.
    HttpResponse<byte[]> anonymous =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/symbols/" + id))
                .PUT(HttpRequest.BodyPublishers.ofFile(p.debug()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> notElf = send(put(id, "hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(notElf.statusCode()).isEqualTo(400);
    assertThat(body(notElf)).contains("not a usable ELF file");
    HttpResponse<byte[]> wrong = send(put(id, Files.readAllBytes(programs.get("missing").debug())));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(body(wrong)).contains(programs.get("missing").buildId()).contains(id);
    assertThat(send(put("not-hex", new byte[] {1})).statusCode()).isEqualTo(400);

    HttpResponse<byte[]> stored = send(put(id, Files.readAllBytes(p.debug())));
    assertThat(stored.statusCode()).as(body(stored)).isEqualTo(201);
    JsonNode info = json.readTree(stored.body());
    assertThat(info.get("dwarf").asBoolean()).isTrue();
    assertThat(info.get("symtab").asBoolean()).isTrue();
    assertThat(send(get("/api/v1/symbols/" + id)).statusCode()).isEqualTo(200);
    // The profile was written before the upload; it is named now (and not from a cached result).
    assertNamedWithLines(p, false);
  }

  @Test
  void namesSurviveARestartThroughTheStoredFrames() throws Exception {
    ChainProgram p = programs.get("restart");
    assertNamedWithLines(p);
    // A server started afresh: nothing in memory, no debug file source, no llvm-symbolizer.
    List<Location> frames = new ArrayList<>();
    dev.hearth.model.Mapping m =
        dev.hearth.model.Mapping.of("/opt/app/chain-restart", p.buildId(), "gnu");
    for (ChainProgram.Frame f : p.frames().values()) {
      frames.add(Location.unsymbolized(m, f.address(), "native"));
    }
    try (Symbolizer fresh =
        new Symbolizer(
            List.of(),
            null,
            store.symbols(),
            SymbolsListener.NONE,
            Symbolizer.Settings.defaults())) {
      Map<Location, List<Line>> named = fresh.symbolize("team-s", frames).block();
      assertThat(named).hasSize(4);
      List<ChainProgram.Frame> expected = List.copyOf(p.frames().values());
      for (int i = 0; i < 4; i++) {
        List<Line> lines = named.get(frames.get(i));
        assertThat(lines.stream().map(l -> l.function().name()).toList())
            .isEqualTo(expected.get(i).names());
        assertThat(lines.getLast().line()).isEqualTo(expected.get(i).line());
      }
      // Another tenant's frames are its own: nothing stored for it.
      assertThat(fresh.symbolize("someone-else", frames).block()).isEmpty();
    }
  }

  @Test
  void missingAndCorruptDebugInfoLeaveFramesUnnamedAndAreCounted() throws Exception {
    for (String v : List.of("missing", "corrupt")) {
      ChainProgram p = programs.get(v);
      push(p);
      Map<String, List<Long>> paths = flamegraphPaths(p);
      assertThat(paths).containsKey(unnamedPath(p));
      HttpResponse<byte[]> pprof = send(get("/api/v1/pprof?" + query(p)));
      assertThat(pprof.statusCode()).isEqualTo(200);
    }
    // With tokens set, /metrics takes one like every other API.
    String metrics = body(send(get("/metrics")));
    assertThat(counter(metrics, "corrupt")).isGreaterThanOrEqualTo(4);
    assertThat(counter(metrics, "no_debug_file")).isGreaterThanOrEqualTo(4);
  }

  private static double counter(String metrics, String outcome) {
    Matcher m =
        Pattern.compile(
                "hearth_symbols_frames_total\\{[^}]*outcome=\""
                    + outcome
                    + "\"[^}]*\\} ([0-9.eE+]+)")
            .matcher(metrics);
    assertThat(m.find())
        .as("hearth_symbols_frames_total{outcome=%s} on /metrics", outcome)
        .isTrue();
    return Double.parseDouble(m.group(1));
  }

  // ---- assertions ----

  private void assertNamedWithLines(ChainProgram p) throws Exception {
    assertNamedWithLines(p, true);
  }

  private void assertNamedWithLines(ChainProgram p, boolean pushFirst) throws Exception {
    if (pushFirst) {
      push(p);
    }
    // Flamegraph: the whole chain named root first, with spin inlined into hot as its own frame.
    Map<String, List<Long>> paths = flamegraphPaths(p);
    assertThat(paths).containsKey("main;a;b;hot;spin");
    assertThat(paths.get("main;a;b;hot;spin").get(0)).isEqualTo(420_000_000L);

    // pprof: the same frames with the files and lines binutils' addr2line reads from the DWARF.
    HttpResponse<byte[]> r = send(get("/api/v1/pprof?" + query(p)));
    assertThat(r.statusCode()).isEqualTo(200);
    List<Profile> profiles = PprofDecoder.decode(r.body(), PprofOptions.defaults());
    assertThat(profiles).hasSize(1);
    List<Sample> samples = profiles.getFirst().samples();
    assertThat(samples).hasSize(1);
    List<Location> leafFirst = samples.getFirst().stack().locations();
    assertThat(leafFirst).hasSize(4);
    List<ChainProgram.Frame> expected = List.copyOf(p.frames().values());
    for (int i = 0; i < 4; i++) {
      Location l = leafFirst.get(i);
      ChainProgram.Frame want = expected.get(i);
      assertThat(l.lines().stream().map(x -> x.function().name()).toList())
          .as("frame %d of %s", i, p.variant())
          .isEqualTo(want.names());
      Line outer = l.lines().getLast();
      assertThat(outer.function().filename()).endsWith("chain-" + p.variant() + ".c");
      assertThat(outer.line()).as("line of %s", outer.function().name()).isEqualTo(want.line());
      assertThat(l.address()).isEqualTo(want.address());
    }
  }

  private static String unnamedPath(ChainProgram p) {
    List<String> names = new ArrayList<>();
    for (String f : List.of("main", "a", "b", "hot")) {
      names.add("chain-" + p.variant() + "+0x" + Long.toHexString(p.frames().get(f).address()));
    }
    return String.join(";", names);
  }

  private Map<String, List<Long>> flamegraphPaths(ChainProgram p) throws Exception {
    HttpResponse<byte[]> r = send(get("/api/v1/flamegraph?" + query(p)));
    assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
    return FlamegraphJson.paths(json.readTree(r.body()));
  }

  private String query(ChainProgram p) {
    String selector = CPU + "{service_name=\"chain-" + p.variant() + "\"}";
    return "query="
        + URLEncoder.encode(selector, StandardCharsets.UTF_8)
        + "&from="
        + (profileTime / SECOND - 600)
        + "&until="
        + (profileTime / SECOND + 600);
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  private HttpRequest.Builder get(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).GET();
  }

  private HttpRequest.Builder put(String buildId, byte[] body) {
    // The content type curl --data-binary sends, as the README shows it: the body is still raw ELF.
    return HttpRequest.newBuilder(uri("/api/v1/symbols/" + buildId))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String body(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }
}
