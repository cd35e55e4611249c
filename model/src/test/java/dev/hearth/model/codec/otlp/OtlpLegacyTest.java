package dev.hearth.model.codec.otlp;

import static dev.hearth.model.codec.otlp.OtlpTestData.MS;
import static dev.hearth.model.codec.otlp.OtlpTestData.SECOND;
import static dev.hearth.model.codec.otlp.OtlpTestData.T0;
import static dev.hearth.model.codec.otlp.OtlpTestData.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.hearth.model.Attribute;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.otlp.OtlpTestData.Dict;
import dev.hearth.model.codec.otlp.OtlpTestData.Wire;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Payloads from producers built on older opentelemetry-proto releases, written byte by byte in
 * their layouts: 1.8 and 1.9 put {@code Sample.values} in field 2 and attribute indices in field 3,
 * where 1.11 reads attribute indices and a link index.
 */
class OtlpLegacyTest {
  private static final long MAX = 16L << 20;

  /** Needs more than 32 bits: a 1.11 parse of a 1.9 payload would keep only the low ones. */
  private static final long BIG = 5_000_000_000L;

  private final Dict d = new Dict();
  private final int worker = d.str("thread.name", "w1");
  private final int stackMain = d.stack(d.location(0, 0, List.of(), d.function("main", "")));
  private final int stackWork = d.stack(d.location(0, 0, List.of(), d.function("work", "")));

  @Test
  void oneNinePayloadIsConverted() throws Exception {
    byte[] payload =
        request(
            cpuProfile()
                .message(2, new Wire().varint(1, stackMain).packed(2, BIG).packed(3, worker))
                .message(
                    2,
                    new Wire()
                        .varint(1, stackWork)
                        .packed(2, 7, 9)
                        .packed(3, worker)
                        .packedFixed64(5, T0 + 1, T0 + 2)));

    List<Profile> profiles = OtlpDecoder.decode(payload, MAX);

    Profile p = profiles.getFirst();
    assertThat(p.type()).isEqualTo(ProfileType.CPU);
    assertThat(p.labels()).isEqualTo(LabelSet.of("service_name", "legacy"));
    assertThat(p.timeNanos()).isEqualTo(T0);
    assertThat(p.period()).isEqualTo(10 * MS);
    Attribute w1 = Attribute.string("thread.name", "w1");
    assertThat(p.samples())
        .extracting(
            s -> s.stack().toString(), Sample::value, Sample::timestampNanos, Sample::attributes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("main", BIG, 0L, List.of(w1)),
            org.assertj.core.groups.Tuple.tuple("work", 7L, T0 + 1, List.of(w1)),
            org.assertj.core.groups.Tuple.tuple("work", 9L, T0 + 2, List.of(w1)));
    assertThat(OtlpDecoder.decode(Gzip.gzip(payload), MAX)).isEqualTo(profiles);
  }

  @Test
  void oneNinePayloadParsedAsOneElevenIsRefusedNotMisread() throws Exception {
    byte[] payload =
        request(
            cpuProfile()
                .message(2, new Wire().varint(1, stackMain).packed(2, BIG).packed(3, worker)));
    ExportProfilesServiceRequest parsed = ExportProfilesServiceRequest.parseFrom(payload);

    // what a plain 1.11 parse makes of it: the value as a truncated attribute index, no values
    var sample = parsed.getResourceProfiles(0).getScopeProfiles(0).getProfiles(0).getSamples(0);
    assertThat(sample.getAttributeIndicesList()).containsExactly((int) BIG);
    assertThat(sample.getValuesCount()).isZero();

    assertThatThrownBy(() -> OtlpDecoder.decode(parsed))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("looks like OTLP profiles from opentelemetry-proto ≤ 1.9")
        .hasMessageContaining("sample values in field 2")
        .hasMessageContaining("OtlpDecoder.decode(byte[], long)")
        .hasMessageContaining("1.11");
  }

  @Test
  void oneNineSamplesWithoutAttributesAreTellTaleToo() throws Exception {
    // {stack, values, timestamps} and {stack, values}: no field that only 1.9 writes, but 1.11
    // cannot read them (attribute 250 does not exist; a sample needs values or timestamps).
    byte[] payload =
        request(
            cpuProfile()
                .message(2, new Wire().varint(1, stackMain).packed(2, 250).packedFixed64(5, T0 + 1))
                .message(2, new Wire().varint(1, stackWork).packed(2, 42)));

    Profile p = OtlpDecoder.decode(payload, MAX).getFirst();

    assertThat(p.samples())
        .extracting(s -> s.stack().toString(), Sample::value, Sample::timestampNanos)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("main", 250L, T0 + 1),
            org.assertj.core.groups.Tuple.tuple("work", 42L, 0L));
    assertThatThrownBy(() -> OtlpDecoder.decode(ExportProfilesServiceRequest.parseFrom(payload)))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("≤ 1.9");
  }

  @Test
  void oneElevenSamplesThatWouldAlsoFitOneNineReadAsOneEleven() throws Exception {
    // attribute_indices + timestamps is wire-identical to 1.9's values + timestamps
    var profile =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(d.type("samples", "count"))
            .addSamples(
                io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
                    .setStackIndex(stackMain)
                    .addAttributeIndices(worker)
                    .addTimestampsUnixNano(T0 + 1));
    byte[] payload = OtlpTestData.single(d, profile).toByteArray();

    Sample s = OtlpDecoder.decode(payload, MAX).getFirst().samples().getFirst();

    assertThat(s.attributes()).containsExactly(Attribute.string("thread.name", "w1"));
    assertThat(s.value()).isEqualTo(1);
    assertThat(s.timestampNanos()).isEqualTo(T0 + 1);
  }

  @Test
  void fieldsFromALaterReleaseAreIgnoredNotTakenForAnOldLayout() throws Exception {
    byte[] payload =
        request(
            cpuProfile()
                .message(2, new Wire().varint(1, stackMain).packed(4, 5).varint(9, 1))
                .varint(30, 7));

    assertThat(OtlpDecoder.decode(payload, MAX).getFirst().samples())
        .extracting(Sample::value)
        .containsExactly(5L);
    assertThat(
            OtlpDecoder.decode(ExportProfilesServiceRequest.parseFrom(payload))
                .getFirst()
                .samples())
        .extracting(Sample::value)
        .containsExactly(5L);
  }

  @Test
  void oneEightPayloadIsConvertedWithItsProfileFieldsAndTemporality() throws Exception {
    int name = d.str(OtlpAttributes.PROFILE_NAME, "custom_mem");
    Wire profile =
        new Wire()
            .message(1, valueType("alloc_space", "bytes").varint(3, 2)) // CUMULATIVE
            .message(2, new Wire().varint(1, stackMain).packed(2, 4096))
            .fixed64(3, T0)
            .message(5, valueType("space", "bytes").varint(3, 2))
            .varint(6, 512 * 1024)
            .packed(7, d.s("a comment")) // comment_strindices
            .bytes(
                8,
                ByteString.copyFrom(
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
            .varint(9, 3) // dropped_attributes_count
            .packed(12, name); // attribute_indices

    Profile p = OtlpDecoder.decode(request(profile), MAX).getFirst();

    assertThat(p.type().id()).isEqualTo("custom_mem:alloc_space:bytes:space:bytes");
    assertThat(p.temporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(p.period()).isEqualTo(512 * 1024);
    assertThat(p.samples()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(4096));
  }

  @Test
  void oneSevenAndOlderLayoutsAreRefused() {
    Wire profile =
        new Wire()
            .message(1, valueType("cpu", "nanoseconds")) // sample_type (repeated until 1.7)
            .message(2, new Wire().varint(1, 0).varint(2, 2).packed(3, 10)) // start, length, value
            .packed(3, 1, 2) // location_indices
            .varint(4, T0); // time_nanos

    assertThatThrownBy(() -> OtlpDecoder.decode(request(profile), MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("Profile field 3 is not fixed64 time")
        .hasMessageContaining("looks like OTLP profiles from opentelemetry-proto ≤ 1.7")
        .hasMessageContaining("upgrade the producer");
  }

  @Test
  void oneSevenDictionaryWithStringKeysIsRefused() {
    ByteString dictionary =
        new Wire()
            .bytes(5, ByteString.EMPTY)
            .message(6, new Wire().bytes(1, ByteString.copyFromUtf8("thread.name")))
            .build();
    byte[] payload = request(dictionary, cpuProfile());

    assertThatThrownBy(() -> OtlpDecoder.decode(payload, MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("attribute_table entries with string keys")
        .hasMessageContaining("≤ 1.7");
  }

  @Test
  void payloadMixingLayoutsIsRefused() {
    byte[] payload =
        request(
            cpuProfile()
                .message(2, new Wire().varint(1, stackMain).packed(2, 5).packed(3, worker))
                .message(2, new Wire().varint(1, stackMain).packed(2, worker).packed(4, 5)));

    assertThatThrownBy(() -> OtlpDecoder.decode(payload, MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("mixes opentelemetry-proto layouts")
        .hasMessageContaining("Sample field 3 is packed")
        .hasMessageContaining("Sample field 4 is packed");
  }

  @Test
  void oneNinePayloadThatMakesNoSenseEitherIsRefused() {
    byte[] payload =
        request(
            cpuProfile()
                .message(
                    2,
                    new Wire()
                        .varint(1, stackMain)
                        .packed(2, 1, 2)
                        .packed(3, worker)
                        .packedFixed64(5, T0)));

    assertThatThrownBy(() -> OtlpDecoder.decode(payload, MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("≤ 1.9 (sample values in field 2)")
        .hasMessageContaining(
            "cannot be converted: read as 1.9, a sample has 2 values and 1 timestamps");
  }

  @Test
  void samplesWithoutAnyDictionaryAreRefused() {
    ExportProfilesServiceRequest request =
        ExportProfilesServiceRequest.newBuilder()
            .addResourceProfiles(
                OtlpTestData.resource(
                    Resource.getDefaultInstance(),
                    io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
                        .addSamples(OtlpTestData.sample(1, List.of(), 5))
                        .build()))
            .build();

    assertThatThrownBy(() -> OtlpDecoder.decode(request.toByteArray(), MAX))
        .isInstanceOf(ProfileDecodeException.class)
        .hasMessageContaining("has samples but the request has no dictionary")
        .hasMessageContaining("≤ 1.6");
  }

  private Wire cpuProfile() {
    return new Wire()
        .message(1, valueType("cpu", "nanoseconds"))
        .fixed64(3, T0)
        .varint(4, 10 * SECOND)
        .message(5, valueType("cpu", "nanoseconds"))
        .varint(6, 10 * MS);
  }

  private Wire valueType(String type, String unit) {
    return new Wire().varint(1, d.s(type)).varint(2, d.s(unit));
  }

  /** A request with this test's dictionary (whose layout 1.8 to 1.11 share). */
  private byte[] request(Wire profile) {
    return request(d.build().toByteString(), profile);
  }

  private static byte[] request(ByteString dictionary, Wire profile) {
    Wire scope = new Wire().message(2, profile);
    Wire resource =
        new Wire()
            .bytes(
                1,
                Resource.newBuilder()
                    .addAttributes(kv("service.name", "legacy"))
                    .build()
                    .toByteString())
            .message(2, scope);
    return new Wire().message(1, resource).bytes(2, dictionary).build().toByteArray();
  }
}
