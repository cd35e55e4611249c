package dev.hearth.model.codec.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.Attribute;
import dev.hearth.model.Function;
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
import dev.hearth.model.codec.ProfileMeaning;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import java.util.List;
import org.junit.jupiter.api.Test;

public class PprofCodecTest {

  /** A CPU pprof as Go writes one: samples/count and cpu/nanoseconds, a mapping, an inline. */
  public static PprofProto.Profile goLikeCpuProfile() {
    PprofProto.Profile.Builder p = PprofProto.Profile.newBuilder();
    String[] strings = {
      "",
      "samples",
      "count",
      "cpu",
      "nanoseconds",
      "/app/server",
      "main.main",
      "main.go",
      "main.handle",
      "strings.Index",
      "strings.go",
      "goroutine",
      "abc123",
      "bytes"
    };
    for (String s : strings) {
      p.addStringTable(s);
    }
    p.addSampleType(vt(1, 2)).addSampleType(vt(3, 4)).setPeriodType(vt(3, 4)).setPeriod(10_000_000);
    p.setTimeNanos(1_700_000_000_000_000_000L).setDurationNanos(10_000_000_000L);
    p.addMapping(
        PprofProto.Mapping.newBuilder()
            .setId(7)
            .setMemoryStart(0x400000)
            .setMemoryLimit(0x800000)
            .setFileOffset(0x1000)
            .setFilename(5)
            .setBuildId(12));
    p.addFunction(
        PprofProto.Function.newBuilder()
            .setId(11)
            .setName(6)
            .setSystemName(6)
            .setFilename(7)
            .setStartLine(10));
    p.addFunction(
        PprofProto.Function.newBuilder()
            .setId(12)
            .setName(8)
            .setSystemName(8)
            .setFilename(7)
            .setStartLine(20));
    p.addFunction(
        PprofProto.Function.newBuilder()
            .setId(13)
            .setName(9)
            .setSystemName(9)
            .setFilename(10)
            .setStartLine(5));
    p.addLocation(loc(101, 7, 0x401000, line(11, 12)));
    // strings.Index inlined into main.handle: innermost first.
    p.addLocation(loc(102, 7, 0x402000, line(13, 6), line(12, 25)));
    // Unsymbolised frame in the same mapping.
    p.addLocation(
        PprofProto.Location.newBuilder().setId(103).setMappingId(7).setAddress(0x403abc).build());
    p.addSample(
        PprofProto.Sample.newBuilder()
            .addLocationId(102)
            .addLocationId(101)
            .addValue(3)
            .addValue(30_000_000));
    p.addSample(
        PprofProto.Sample.newBuilder()
            .addLocationId(103)
            .addLocationId(101)
            .addValue(1)
            .addValue(10_000_000)
            .addLabel(PprofProto.Label.newBuilder().setKey(11).setStr(6))
            .addLabel(PprofProto.Label.newBuilder().setKey(13).setNum(4096).setNumUnit(13)));
    return p.build();
  }

  static PprofProto.ValueType vt(long type, long unit) {
    return PprofProto.ValueType.newBuilder().setType(type).setUnit(unit).build();
  }

  private static PprofProto.Line line(long function, long line) {
    return PprofProto.Line.newBuilder().setFunctionId(function).setLine(line).build();
  }

  private static PprofProto.Location loc(
      long id, long mapping, long address, PprofProto.Line... lines) {
    return PprofProto.Location.newBuilder()
        .setId(id)
        .setMappingId(mapping)
        .setAddress(address)
        .addAllLine(List.of(lines))
        .build();
  }

  @Test
  void decodesOneProfilePerSampleTypeWithCountsFromTheCountType() throws Exception {
    List<Profile> profiles =
        PprofDecoder.decode(goLikeCpuProfile().toByteArray(), PprofOptions.defaults());

    assertThat(profiles)
        .extracting(p -> p.type().id())
        .containsExactly(
            "process_cpu:samples:count:cpu:nanoseconds",
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds");
    Profile cpu = profiles.get(1);
    assertThat(cpu.type()).isEqualTo(ProfileType.CPU);
    assertThat(cpu.totalValue()).isEqualTo(40_000_000);
    assertThat(cpu.totalCount()).isEqualTo(4);
    assertThat(cpu.period()).isEqualTo(10_000_000);
    assertThat(cpu.durationNanos()).isEqualTo(10_000_000_000L);

    Sample first = cpu.samples().getFirst();
    assertThat(first.stack().functionNamesRootFirst())
        .containsExactly("main.main", "main.handle", "strings.Index");
    Location inlined = first.stack().locations().getFirst();
    assertThat(inlined.lines())
        .extracting(l -> l.function().name())
        .containsExactly("strings.Index", "main.handle");
    assertThat(inlined.address()).as("file-relative").isEqualTo(0x402000 - 0x400000 + 0x1000);
    assertThat(inlined.mapping().buildId()).isEqualTo("abc123");

    Sample second = cpu.samples().get(1);
    assertThat(second.stack().functionNamesRootFirst())
        .containsExactly("main.main", "server+0x4abc");
    assertThat(second.attributes())
        .containsExactly(
            Attribute.number("bytes", 4096, "bytes"), Attribute.string("goroutine", "main.main"));
  }

  @Test
  void roundTripKeepsSamplesValuesLabelsAndFrames() throws Exception {
    List<Profile> decoded =
        PprofDecoder.decode(goLikeCpuProfile().toByteArray(), PprofOptions.defaults());
    byte[] written = PprofEncoder.encodeGzip(decoded);
    assertThat(Gzip.isGzip(written)).isTrue();
    List<Profile> again = PprofDecoder.decode(written, PprofOptions.defaults());

    assertThat(again).hasSameSizeAs(decoded);
    for (int i = 0; i < decoded.size(); i++) {
      assertThat(ProfileMeaning.of(again.get(i))).isEqualTo(ProfileMeaning.of(decoded.get(i)));
    }
  }

  @Test
  void writesACountTypeWhenOnlyValuesWouldLoseCounts() throws Exception {
    Stack s =
        Stack.of(
            List.of(
                Location.of(
                    Mapping.of("/lib/x.so"), 0x10, List.of(Line.of(Function.of("f"), 3)), "")));
    Profile cpu =
        new Profile(
            ProfileType.CPU,
            dev.hearth.model.LabelSet.EMPTY,
            5,
            10,
            52_631_578,
            Temporality.DELTA,
            List.of(Sample.of(s, 3 * 52_631_578L, 3)));

    PprofProto.Profile proto = PprofEncoder.encode(List.of(cpu));
    assertThat(proto.getSampleTypeCount()).isEqualTo(2);
    List<Profile> back = PprofDecoder.decode(proto, PprofOptions.defaults());
    assertThat(back.get(1).samples())
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.value()).isEqualTo(3 * 52_631_578L);
              assertThat(x.count()).isEqualTo(3);
            });
  }

  @Test
  void marksGoCumulativeTypes() throws Exception {
    List<Profile> profiles =
        PprofDecoder.decode(
            goLikeCpuProfile(), new PprofOptions("memory", java.util.Set.of("cpu"), 1 << 20));
    assertThat(profiles.get(0).temporality()).isEqualTo(Temporality.DELTA);
    assertThat(profiles.get(1).temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(profiles.get(1).type().name()).isEqualTo("memory");
  }

  @Test
  void badInputGetsAClearError() {
    PprofProto.Profile good = goLikeCpuProfile();
    assertThatThrownBy(
            () ->
                PprofDecoder.decode(
                    good.toBuilder()
                        .addSample(
                            PprofProto.Sample.newBuilder()
                                .addLocationId(999)
                                .addValue(1)
                                .addValue(1))
                        .build(),
                    PprofOptions.defaults()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("location id 999");
    assertThatThrownBy(
            () ->
                PprofDecoder.decode(
                    good.toBuilder().setSampleType(0, vt(500, 2)).build(), PprofOptions.defaults()))
        .hasMessageContaining("sample_type[0].type points at string 500");
    assertThatThrownBy(
            () ->
                PprofDecoder.decode(
                    good.toBuilder().addSample(PprofProto.Sample.newBuilder().addValue(1)).build(),
                    PprofOptions.defaults()))
        .hasMessageContaining("has 1 values but the profile has 2 sample types");
    byte[] bytes = good.toByteArray();
    assertThatThrownBy(
            () ->
                PprofDecoder.decode(
                    java.util.Arrays.copyOf(bytes, bytes.length - 3), PprofOptions.defaults()))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("not a valid profile");
    byte[] bomb = Gzip.gzip(new byte[5 << 20]);
    assertThatThrownBy(
            () -> PprofDecoder.decode(bomb, new PprofOptions(null, java.util.Set.of(), 1 << 20)))
        .isInstanceOfSatisfying(
            ProfileDecodeException.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining("more than 1048576 bytes");
  }
}
