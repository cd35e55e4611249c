package dev.hearth.model.codec.otlp;

import static dev.hearth.model.codec.otlp.OtlpTestData.MS;
import static dev.hearth.model.codec.otlp.OtlpTestData.SECOND;
import static dev.hearth.model.codec.otlp.OtlpTestData.T0;
import static dev.hearth.model.codec.otlp.OtlpTestData.normalized;
import static dev.hearth.model.codec.otlp.OtlpTestData.sample;
import static dev.hearth.model.codec.otlp.OtlpTestData.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.otlp.OtlpTestData.Dict;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpCodecTest {
  private static final long MAX = 16L << 20;

  private static final Mapping APP = Mapping.of("/usr/bin/app", "abc123", "gnu");
  private static final Mapping LIBFOO = Mapping.of("/usr/lib/libfoo.so");

  @Test
  void decodesDictionaryResourceAndSampleAttributes() throws Exception {
    List<Profile> profiles = OtlpDecoder.decode(OtlpTestData.request().toByteArray(), MAX);

    assertThat(profiles).hasSize(2);
    Profile cpu = profiles.get(0);
    assertThat(cpu.type()).isEqualTo(ProfileType.CPU);
    // service.name came as a plain key, host.name through key_strindex and string_value_strindex;
    // process.pid is high-cardinality and rides on the samples instead.
    assertThat(cpu.labels()).isEqualTo(LabelSet.of("service_name", "api", "host_name", "web-1"));
    assertThat(cpu.timeNanos()).isEqualTo(T0);
    assertThat(cpu.durationNanos()).isEqualTo(10 * SECOND);
    assertThat(cpu.period()).isEqualTo(10 * MS);
    assertThat(cpu.temporality()).isEqualTo(Temporality.DELTA);

    assertThat(cpu.samples()).extracting(Sample::value).containsExactly(30 * MS, 10 * MS, 20 * MS);
    assertThat(cpu.samples()).extracting(Sample::count).containsExactly(1L, 1L, 1L);
    assertThat(cpu.samples()).extracting(Sample::timestampNanos).containsExactly(0L, 0L, 0L);
    Attribute pid = Attribute.number("process.pid", 4242, "");
    Attribute worker = Attribute.string("thread.name", "worker-1");
    assertThat(cpu.samples().get(0).attributes())
        .containsExactly(pid, Attribute.number("request.size", 128, "bytes"), worker);
    assertThat(cpu.samples().get(1).attributes()).containsExactly(pid, worker);
    assertThat(cpu.samples().get(2).attributes()).containsExactly(pid);

    Stack inline = cpu.samples().get(0).stack();
    assertThat(inline.functionNamesRootFirst())
        .containsExactly("main", "handle", "parse", "inlinedHelper");
    Location main = inline.locations().getLast();
    assertThat(main)
        .isEqualTo(
            Location.of(
                APP, 0x1100, List.of(Line.of(Function.of("main", "", "app.go", 0), 10)), "go"));
    assertThat(main.mapping().buildId()).isEqualTo("abc123");
    assertThat(main.mapping().buildIdKind()).isEqualTo("gnu");
  }

  @Test
  void inlinedFramesKeepBothLinesInnermostFirst() throws Exception {
    Profile cpu = OtlpDecoder.decode(OtlpTestData.request()).get(0);

    Location leaf = cpu.samples().get(0).stack().locations().getFirst();
    assertThat(leaf.lines())
        .containsExactly(
            Line.of(Function.of("inlinedHelper", "", "parse.go", 0), 40),
            Line.of(Function.of("parse", "", "parse.go", 0), 30));
    assertThat(leaf.function().name()).isEqualTo("parse");
    assertThat(leaf.toString()).isEqualTo("inlinedHelper <inlined into> parse");
  }

  @Test
  void unsymbolisedNativeFramesAreNamedAfterTheirMappingAndFileOffset() throws Exception {
    Profile cpu = OtlpDecoder.decode(OtlpTestData.request()).get(0);

    // address 0x7f0000000a2b in a mapping at 0x7f0000000000 with file offset 0x1000
    Location leaf = cpu.samples().get(1).stack().locations().getFirst();
    assertThat(leaf).isEqualTo(Location.unsymbolized(LIBFOO, 0x1a2b, "native"));
    assertThat(leaf.lines().getFirst().function().name()).isEqualTo("libfoo.so+0x1a2b");
    assertThat(cpu.samples().get(1).stack().functionNamesRootFirst())
        .containsExactly("main", "handle", "libfoo.so+0x1a2b");
  }

  @Test
  void timestampsOnlySamplesCountOneEach() throws Exception {
    Profile counts = OtlpDecoder.decode(OtlpTestData.request()).get(1);

    assertThat(counts.type()).isEqualTo(ProfileType.CPU_SAMPLES);
    assertThat(counts.labels()).isEqualTo(LabelSet.of("service_name", "batch"));
    assertThat(counts.samples()).extracting(Sample::value).containsExactly(1L, 1L, 1L, 1L);
    assertThat(counts.samples()).extracting(Sample::count).containsExactly(1L, 1L, 1L, 1L);
    assertThat(counts.samples())
        .extracting(Sample::timestampNanos)
        .containsExactly(T0 + 1, T0 + 2, T0 + 3, T0 + 4);
    assertThat(counts.samples().get(3).stack().functionNamesRootFirst())
        .containsExactly("main", "handle", "libfoo.so+0x1a2b");
  }

  @Test
  void valuesAndTimestampsPairUpAndCountUnitsCountThemselves() throws Exception {
    Dict d = new Dict();
    int stack = d.stack(d.location(0, 0, List.of(), d.function("f", "")));
    var profile =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(d.type("alloc_objects", "count"))
            .setPeriodType(d.type("space", "bytes"))
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .setStackIndex(stack)
                    .addValues(3)
                    .addValues(5)
                    .addTimestampsUnixNano(T0 + 7)
                    .addTimestampsUnixNano(T0 + 9));

    Profile p = OtlpDecoder.decode(single(d, profile)).getFirst();

    assertThat(p.type()).isEqualTo(ProfileType.ALLOC_OBJECTS);
    assertThat(p.samples()).extracting(Sample::value).containsExactly(3L, 5L);
    assertThat(p.samples()).extracting(Sample::count).containsExactly(3L, 5L);
    assertThat(p.samples()).extracting(Sample::timestampNanos).containsExactly(T0 + 7, T0 + 9);
  }

  @Test
  void valuesAndTimestampsOfDifferentLengthsAreRefused() {
    Dict d = new Dict();
    var profile =
        cpuProfile(d)
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .addValues(1)
                    .addValues(2)
                    .addTimestampsUnixNano(T0));

    assertThatThrownBy(() -> OtlpDecoder.decode(single(d, profile)))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("samples[0] has 2 values and 1 timestamps_unix_nano");
  }

  @Test
  void profileNameAttributeWinsOverTheGuess() throws Exception {
    Dict d = new Dict();
    int name = d.str(OtlpAttributes.PROFILE_NAME, "off_cpu");
    var profile =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(d.type("cpu", "nanoseconds"))
            .addAttributeIndices(name);

    Profile p = OtlpDecoder.decode(single(d, profile)).getFirst();

    // period_type is absent: it defaults to the sample type
    assertThat(p.type().id()).isEqualTo("off_cpu:cpu:nanoseconds:cpu:nanoseconds");
  }

  @Test
  void outOfRangeIndexesNameTableIndexAndSize() {
    assertRefused(
        d -> cpuProfile(d).addSamples(sample(99, List.of(), 1)),
        "stack_table index 99 is out of range (stack_table has 1 entries),"
            + " referenced by samples[0].stack_index");
    assertRefused(
        d -> cpuProfile(d).addSamples(sample(d.stack(42), List.of(), 1)),
        "location_table index 42 is out of range (location_table has 1 entries),"
            + " referenced by stack_table[1].location_indices[0]");
    assertRefused(
        d ->
            cpuProfile(d).addSamples(sample(d.stack(d.location(0, 0, List.of(), 7)), List.of(), 1)),
        "function_table index 7 is out of range (function_table has 1 entries),"
            + " referenced by location_table[1].lines[0].function_index");
    assertRefused(
        d -> {
          d.d.addFunctionTable(
              io.opentelemetry.proto.profiles.v1development.Function.newBuilder()
                  .setNameStrindex(500));
          int f = d.d.getFunctionTableCount() - 1;
          return cpuProfile(d)
              .addSamples(sample(d.stack(d.location(0, 0, List.of(), f)), List.of(), 1));
        },
        "string_table index 500 is out of range (string_table has 3 entries),"
            + " referenced by function_table[1].name_strindex");
    assertRefused(
        d -> cpuProfile(d).addSamples(sample(0, List.of(77), 1)),
        "attribute_table index 77 is out of range (attribute_table has 1 entries),"
            + " referenced by samples[0].attribute_indices[0]");
    assertRefused(
        d ->
            cpuProfile(d).addSamples(sample(d.stack(d.location(3, 0x10, List.of())), List.of(), 1)),
        "mapping_table index 3 is out of range (mapping_table has 1 entries),"
            + " referenced by location_table[1].mapping_index");
    assertRefused(
        d -> cpuProfile(d).addSamples(sample(-1, List.of(), 1)),
        "stack_table index -1 is out of range");
  }

  private interface ProfileWith {
    io.opentelemetry.proto.profiles.v1development.Profile.Builder build(Dict d);
  }

  private static void assertRefused(ProfileWith profile, String message) {
    Dict d = new Dict();
    var p = profile.build(d);
    ExportProfilesServiceRequest request = single(d, p);
    assertThatThrownBy(() -> OtlpDecoder.decode(request.toByteArray(), MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageStartingWith("OTLP resource_profiles[0].scope_profiles[0].profiles[0]: ")
        .hasMessageContaining(message);
  }

  private static io.opentelemetry.proto.profiles.v1development.Profile.Builder cpuProfile(Dict d) {
    return io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
        .setSampleType(d.type("cpu", "nanoseconds"))
        .setPeriodType(d.type("cpu", "nanoseconds"));
  }

  @Test
  void truncatedProtobufIsRefused() {
    byte[] bytes = OtlpTestData.request().toByteArray();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 7);

    assertThatThrownBy(() -> OtlpDecoder.decode(truncated, MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("OTLP profiles payload is not valid protobuf (truncated or corrupt)");
  }

  @Test
  void gzipIsUnpackedWithinTheLimit() throws Exception {
    byte[] bytes = OtlpTestData.request().toByteArray();

    assertThat(OtlpDecoder.decode(Gzip.gzip(bytes), MAX)).isEqualTo(OtlpDecoder.decode(bytes, MAX));
    assertThatThrownBy(() -> OtlpDecoder.decode(Gzip.gzip(bytes), 100))
        .isInstanceOfSatisfying(
            ProfileDecodeException.class, e -> assertThat(e.tooLarge()).isTrue());
  }

  @Test
  void profilesDataReadsLikeARequest() throws Exception {
    ProfilesData data = ProfilesData.parseFrom(OtlpTestData.request().toByteArray());

    assertThat(OtlpDecoder.decode(data)).isEqualTo(OtlpDecoder.decode(OtlpTestData.request()));
  }

  @Test
  void otlpToModelToOtlpToModelKeepsEverything() throws Exception {
    List<Profile> first = OtlpDecoder.decode(OtlpTestData.request().toByteArray(), MAX);

    ExportProfilesServiceRequest reencoded = OtlpEncoder.encode(first);
    List<Profile> second = OtlpDecoder.decode(OtlpEncoder.toBytes(first), MAX);

    assertThat(normalized(second)).isEqualTo(normalized(first));
    assertThat(second.get(0).samples())
        .extracting(s -> s.stack().functionNamesRootFirst())
        .contains(
            List.of("main", "handle", "parse", "inlinedHelper"),
            List.of("main", "handle", "libfoo.so+0x1a2b"));
    assertThat(second.get(1).samples())
        .extracting(Sample::timestampNanos)
        .containsExactlyInAnyOrder(T0 + 1, T0 + 2, T0 + 3, T0 + 4);
    // labels keep their names as resource attribute keys; no pid among them
    assertThat(reencoded.getResourceProfiles(0).getResource().getAttributesList())
        .extracting(kv -> kv.getKey() + "=" + kv.getValue().getStringValue())
        .containsExactly("host_name=web-1", "service_name=api");
  }

  @Test
  void modelToOtlpToModelKeepsSamplesFramesAndLabels() throws Exception {
    Function main = Function.of("main", "", "app.go", 3);
    Function parse = Function.of("parse", "_Z5parsev", "parse.cc", 20);
    Function helper = Function.of("helper", "", "parse.cc", 0);
    Location lMain = Location.of(APP, 0x1100, List.of(Line.of(main, 12)), "go");
    Location lInline =
        Location.of(APP, 0x1300, List.of(new Line(helper, 41, 7), Line.of(parse, 25)), "native");
    Location lLibc =
        Location.unsymbolized(Mapping.of("/lib/libc.so.6", "ffee", ""), 0x2f00, "native");
    Stack s1 = Stack.of(List.of(lInline, lMain));
    Stack s2 = Stack.of(List.of(lLibc, lMain));
    LabelSet api = LabelSet.of("service_name", "api", "host_name", "h1");
    Profile cpu =
        new Profile(
            ProfileType.CPU,
            api,
            T0,
            10 * SECOND,
            10 * MS,
            Temporality.DELTA,
            List.of(
                new Sample(s1, 100, 1, List.of(Attribute.string("thread.name", "t1")), 0),
                new Sample(s2, 50, 1, List.of(), 0),
                new Sample(s1, 7, 1, List.of(), T0 + 5),
                new Sample(s1, 9, 1, List.of(), T0 + 6)));
    Profile inuse =
        new Profile(
            ProfileType.INUSE_SPACE,
            api,
            T0,
            0,
            512 * 1024,
            Temporality.DELTA,
            List.of(new Sample(s2, 4096, 1, List.of(), 0)));
    Profile allocs =
        new Profile(
            ProfileType.ALLOC_OBJECTS,
            LabelSet.of("service_name", "worker"),
            T0 + SECOND,
            SECOND,
            512 * 1024,
            Temporality.DELTA,
            List.of(new Sample(s1, 4, 4, List.of(Attribute.number("size", 512, "bytes")), 0)));
    List<Profile> model = List.of(cpu, inuse, allocs);

    ExportProfilesServiceRequest request = OtlpEncoder.encode(model);
    List<Profile> decoded = OtlpDecoder.decode(request.toByteArray(), MAX);

    assertThat(normalized(decoded)).isEqualTo(normalized(model));
    assertThat(decoded.get(0).samples().get(0).stack().functionNamesRootFirst())
        .containsExactly("main", "parse", "helper");

    // one resource per label set, the two api profiles together
    assertThat(request.getResourceProfilesCount()).isEqualTo(2);
    assertThat(request.getResourceProfiles(0).getScopeProfiles(0).getProfilesCount()).isEqualTo(2);
    // the two timestamped samples of one stack became one OTLP sample with aligned arrays
    var otlpCpu = request.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0);
    assertThat(otlpCpu.getSamplesCount()).isEqualTo(3);
    assertThat(otlpCpu.getSamples(2).getValuesList()).containsExactly(7L, 9L);
    assertThat(otlpCpu.getSamples(2).getTimestampsUnixNanoList()).containsExactly(T0 + 5, T0 + 6);
    var dict = request.getDictionary();
    assertThat(dict.getStringTable(0)).isEmpty();
    assertThat(new HashSet<>(dict.getStringTableList())).hasSize(dict.getStringTableCount());
    assertThat(dict.getFunctionTable(0))
        .isEqualTo(io.opentelemetry.proto.profiles.v1development.Function.getDefaultInstance());
    assertThat(dict.getLocationTableCount()).isEqualTo(4); // zero + three distinct locations
    assertThat(dict.getStackTableCount()).isEqualTo(3);
    assertThat(dict.getMappingTableList())
        .allSatisfy(m -> assertThat(m.getMemoryStart() + m.getFileOffset()).isZero());
    // the unsymbolised frame goes out without lines, for a reader to symbolise
    assertThat(dict.getLocationTableList())
        .filteredOn(l -> l.getAddress() == 0x2f00)
        .singleElement()
        .satisfies(l -> assertThat(l.getLinesCount()).isZero());
  }

  @Test
  void jsonRoundTrip() throws Exception {
    List<Profile> model = OtlpDecoder.decode(OtlpTestData.request());

    String json = OtlpEncoder.toJson(model);
    List<Profile> decoded = OtlpDecoder.decodeJson(json);

    assertThat(json).contains("\"resourceProfiles\"").contains("\"timeUnixNano\": \"" + T0 + "\"");
    assertThat(normalized(decoded)).isEqualTo(normalized(model));
    assertThat(
            OtlpDecoder.decodeJson(
                Gzip.gzip(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), MAX))
        .isEqualTo(decoded);
  }

  @Test
  void jsonTakesHexIdsStringIntegersAndUnknownFields() throws Exception {
    String json =
        """
        {"resourceProfiles": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]},
          "scopeProfiles": [{"profiles": [{
            "sampleType": {"typeStrindex": 1, "unitStrindex": 2},
            "periodType": {"typeStrindex": 1, "unitStrindex": 2},
            "period": "10000000", "timeUnixNano": "1700000000000000000", "durationNano": 10000000000,
            "profileId": "0102030405060708090a0b0c0d0e0f10",
            "someFutureField": {"x": 1},
            "samples": [{"stackIndex": 1, "values": ["5"], "linkIndex": 1, "attributeIndices": [1]}]
          }]}]
        }],
        "dictionary": {
          "stringTable": ["", "cpu", "nanoseconds", "main", "thread.name", "w1"],
          "mappingTable": [{}],
          "functionTable": [{}, {"nameStrindex": 3}],
          "locationTable": [{}, {"lines": [{"functionIndex": 1, "line": "12"}]}],
          "stackTable": [{}, {"locationIndices": [1]}],
          "attributeTable": [{}, {"keyStrindex": 4, "value": {"stringValueStrindex": 5}}],
          "linkTable": [{}, {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174"}]
        }}
        """;

    ExportProfilesServiceRequest request = OtlpJson.parse(json);
    List<Profile> profiles = OtlpDecoder.decodeJson(json);

    assertThat(request.getDictionary().getLinkTable(1).getTraceId().toByteArray())
        .isEqualTo(java.util.HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c"));
    assertThat(request.getDictionary().getLinkTable(1).getSpanId().size()).isEqualTo(8);
    assertThat(
            request
                .getResourceProfiles(0)
                .getScopeProfiles(0)
                .getProfiles(0)
                .getProfileId()
                .byteAt(15))
        .isEqualTo((byte) 0x10);
    Profile p = profiles.getFirst();
    assertThat(p.type()).isEqualTo(ProfileType.CPU);
    assertThat(p.timeNanos()).isEqualTo(T0);
    assertThat(p.durationNanos()).isEqualTo(10 * SECOND);
    assertThat(p.samples())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.value()).isEqualTo(5);
              assertThat(s.attributes()).containsExactly(Attribute.string("thread.name", "w1"));
              assertThat(s.stack().functionNamesRootFirst()).containsExactly("main");
            });
  }

  @Test
  void jsonWithNamesOnlyOldProducersUsedIsRefused() {
    String json =
        """
        {"resourceProfiles": [{"scopeProfiles": [{"profiles": [{
          "sampleType": {"typeStrindex": 1, "unitStrindex": 2},
          "sample": [{"stackIndex": 1, "values": ["5"]}]
        }]}]}]}
        """;

    assertThatThrownBy(() -> OtlpDecoder.decodeJson(json))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("'Profile.sample'")
        .hasMessageContaining("≤ 1.8");
    assertThatThrownBy(() -> OtlpDecoder.decodeJson("{\"resourceProfiles\": [}"))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageStartingWith("OTLP profiles JSON is malformed");
  }

  @Test
  void attributeValuesOfOtherKindsBecomeText() throws Exception {
    Dict d = new Dict();
    int flag = d.attr("flag", AnyValue.newBuilder().setBoolValue(true).build(), "");
    int ratio = d.attr("ratio", AnyValue.newBuilder().setDoubleValue(0.5).build(), "");
    var profile = cpuProfile(d).addSamples(sample(0, List.of(flag, ratio), 1));

    Sample s = OtlpDecoder.decode(single(d, profile)).getFirst().samples().getFirst();

    assertThat(s.attributes())
        .containsExactly(Attribute.string("flag", "true"), Attribute.string("ratio", "0.5"));
  }
}
