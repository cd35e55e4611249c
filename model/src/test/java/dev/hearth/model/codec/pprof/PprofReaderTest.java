package dev.hearth.model.codec.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.codec.Fixtures;
import dev.hearth.model.codec.FrameCache;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.pprof.proto.PprofProto;
import dev.hearth.model.testing.FleetProfiles;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming reader gives what the protobuf-object decoder gave ({@link ReferencePprofDecoder}),
 * id for id, with a cold cache, a warm one and none.
 */
class PprofReaderTest {

  private static void matchesReference(byte[] data, PprofOptions options) throws Exception {
    List<Profile> want = ReferencePprofDecoder.decode(data, options);
    FrameCache cache = new FrameCache(1 << 12);
    List<Profile> cold = PprofDecoder.decode(data, options, cache);
    List<Profile> warm = PprofDecoder.decode(data, options, cache);
    List<Profile> uncached = PprofDecoder.decode(data, options, new FrameCache(0));
    // A cache too small to hold a profile's stacks: every slot collides.
    List<Profile> tiny = PprofDecoder.decode(data, options, new FrameCache(1));
    for (List<Profile> got : List.of(cold, warm, uncached, tiny)) {
      assertThat(got).isEqualTo(want);
      assertThat(stackIds(got)).isEqualTo(stackIds(want));
    }
    assertThat(stackIds(want)).isNotEmpty();
  }

  private static List<Long> stackIds(List<Profile> profiles) {
    return profiles.stream()
        .flatMap(p -> p.samples().stream())
        .map(Sample::stack)
        .map(Stack::id)
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"go-cpu.pb.gz", "go-cpu.pb", "go-heap.pb.gz"})
  void goRuntimeProfilesMatchTheReference(String fixture) throws Exception {
    matchesReference(Fixtures.bytes(fixture), PprofOptions.goRuntime());
  }

  @Test
  void inlinedUnsymbolisedAndLabelledSamplesMatchTheReference() throws Exception {
    matchesReference(PprofCodecTest.goLikeCpuProfile().toByteArray(), PprofOptions.defaults());
  }

  @Test
  void fleetProfilesMatchTheReference() throws Exception {
    FleetProfiles gen = new FleetProfiles(3);
    List<Stack> stacks = gen.stacks("checkout", 400, 30);
    Profile p =
        gen.profile(
            ProfileType.CPU, FleetProfiles.labels("checkout", "web-1"), 1_000_000L, stacks, 900);
    matchesReference(PprofEncoder.encodeGzip(List.of(p.merged())), PprofOptions.defaults());
  }

  @Test
  void sparseIdsNonAsciiNamesAndUnpackedFieldsMatchTheReference() throws Exception {
    PprofProto.Profile good = PprofCodecTest.goLikeCpuProfile();
    PprofProto.Profile.Builder b = good.toBuilder();
    int name = b.getStringTableCount();
    b.addStringTable("Ünïcødé.函数");
    b.addFunction(
        PprofProto.Function.newBuilder().setId(9_000_000_000L).setName(name).setStartLine(3));
    b.addLocation(
        PprofProto.Location.newBuilder()
            .setId(8_000_000_000L)
            .setAddress(0x10)
            .addLine(PprofProto.Line.newBuilder().setFunctionId(9_000_000_000L).setLine(4)));
    b.addSample(
        PprofProto.Sample.newBuilder()
            .addLocationId(8_000_000_000L)
            .addLocationId(101)
            .addValue(2)
            .addValue(20_000_000));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(b.build().toByteArray());
    // A sample written field by field, as the format allows: location ids and values unpacked.
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    CodedOutputStream s = CodedOutputStream.newInstance(sample);
    s.writeUInt64(1, 102);
    s.writeUInt64(1, 8_000_000_000L);
    s.writeInt64(2, 5);
    s.writeInt64(2, 50_000_000);
    s.flush();
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeByteArray(2, sample.toByteArray());
    o.flush();
    matchesReference(out.toByteArray(), PprofOptions.defaults());
    matchesReference(Gzip.gzip(out.toByteArray()), PprofOptions.defaults());
  }

  @Test
  void malformedBytesAreRefusedByName() throws Exception {
    byte[] bytes = PprofCodecTest.goLikeCpuProfile().toByteArray();
    // Every prefix: refused by both decoders, or read alike (a cut can fall between fields).
    int refused = 0;
    for (int cut = 1; cut < bytes.length; cut++) {
      byte[] prefix = java.util.Arrays.copyOf(bytes, bytes.length - cut);
      List<Profile> want;
      try {
        want = ReferencePprofDecoder.decode(prefix, opts());
      } catch (ProfileDecodeException e) {
        refused++;
        assertThatThrownBy(() -> PprofDecoder.decode(prefix, opts()))
            .isInstanceOf(ProfileDecodeException.class);
        continue;
      }
      assertThat(PprofDecoder.decode(prefix, opts(), new FrameCache(0))).isEqualTo(want);
    }
    assertThat(refused).isGreaterThan(bytes.length / 2);
    assertThatThrownBy(
            () -> PprofDecoder.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3), opts()))
        .hasMessageContaining("not a valid profile");
    PprofProto.Profile.Builder b = PprofCodecTest.goLikeCpuProfile().toBuilder();
    b.setStringTable(6, "main.main");
    byte[] badUtf8 = b.build().toByteArray();
    // Turn "main.main" into bytes that are not UTF-8 (0xff never appears in UTF-8).
    int at = indexOf(badUtf8, "main.main".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    badUtf8[at] = (byte) 0xff;
    assertThatThrownBy(() -> PprofDecoder.decode(badUtf8, opts()))
        .hasMessageContaining("string_table[6] is not valid UTF-8");
    byte[] wire = {(byte) 0x13}; // field 2, wire type 3 (groups)
    assertThatThrownBy(() -> PprofDecoder.decode(wire, opts()))
        .hasMessageContaining("wire type 3 is not supported");
  }

  @Test
  void errorsNameTheEntryAndField() {
    PprofProto.Profile good = PprofCodecTest.goLikeCpuProfile();
    PprofProto.Profile.Builder b = good.toBuilder();
    b.setFunction(1, b.getFunction(1).toBuilder().setFilename(99));
    assertThatThrownBy(() -> PprofDecoder.decode(b.build().toByteArray(), opts()))
        .hasMessage(
            "pprof function[1].filename points at string 99 but string_table has 14 entries");
    PprofProto.Profile.Builder dup = good.toBuilder();
    dup.setMapping(0, dup.getMapping(0).toBuilder().setId(0));
    assertThatThrownBy(() -> PprofDecoder.decode(dup.build().toByteArray(), opts()))
        .hasMessage("pprof mapping[0] has id 0; ids must be non-zero");
    PprofProto.Profile.Builder loc = good.toBuilder();
    loc.setLocation(2, loc.getLocation(2).toBuilder().setId(101));
    assertThatThrownBy(() -> PprofDecoder.decode(loc.build().toByteArray(), opts()))
        .hasMessage("pprof location[2] repeats id 101");
    PprofProto.Profile.Builder label = good.toBuilder();
    label.setSample(
        1,
        label.getSample(1).toBuilder()
            .setLabel(1, PprofProto.Label.newBuilder().setKey(13).setNum(1).setNumUnit(77)));
    assertThatThrownBy(() -> PprofDecoder.decode(label.build().toByteArray(), opts()))
        .hasMessage(
            "pprof sample[1].label[1].num_unit points at string 77 but string_table has 14 entries");
    PprofProto.Profile.Builder period = good.toBuilder();
    period.setPeriodType(PprofCodecTest.vt(3, 40));
    assertThatThrownBy(() -> PprofDecoder.decode(period.build().toByteArray(), opts()))
        .hasMessage("pprof period_type.unit points at string 40 but string_table has 14 entries");
  }

  private static PprofOptions opts() {
    return PprofOptions.defaults();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
