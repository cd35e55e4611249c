package dev.hearth.model.codec.otlp;

import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.profiles.v1development.ValueType;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes model profiles as one OTLP profiles ({@code v1development}, opentelemetry-proto 1.11)
 * request that {@link OtlpDecoder} reads back to the same samples.
 *
 * <ul>
 *   <li>One {@code ProfilesDictionary} for the whole request, every entry once, index 0 of each
 *       table its zero value.
 *   <li>One {@code ResourceProfiles} per distinct label set, the labels as resource attributes
 *       under their (already sanitised) names; one {@code Profile} per model profile with its
 *       sample and period type, period, time, duration, and the attribute {@code
 *       hearth.profile.name} = the type's name.
 *   <li>Samples with a timestamp are grouped by (stack, attributes) into one OTLP sample of aligned
 *       {@code values} and {@code timestamps_unix_nano}; every other sample becomes one OTLP sample
 *       with {@code values = [value]}.
 *   <li>Mappings have {@code memory_start}, {@code memory_limit} and {@code file_offset} 0, so the
 *       model's file-relative addresses stay as they are.
 * </ul>
 *
 * <p>What OTLP cannot carry is lost: a sample's count unless the unit is {@code count} (the value
 * then is the count), and {@link dev.hearth.model.Temporality#CUMULATIVE}, which 1.11 no longer
 * expresses.
 */
public final class OtlpEncoder {
  private static final String SCOPE = "hearth";

  private OtlpEncoder() {}

  public static ExportProfilesServiceRequest encode(List<Profile> profiles) {
    OtlpDictionaryBuilder dictionary = new OtlpDictionaryBuilder();
    Map<LabelSet, ScopeProfiles.Builder> byLabels = new LinkedHashMap<>();
    for (Profile profile : profiles) {
      byLabels
          .computeIfAbsent(
              profile.labels(),
              l ->
                  ScopeProfiles.newBuilder()
                      .setScope(InstrumentationScope.newBuilder().setName(SCOPE)))
          .addProfiles(profile(profile, dictionary));
    }
    ExportProfilesServiceRequest.Builder request = ExportProfilesServiceRequest.newBuilder();
    byLabels.forEach(
        (labels, scope) -> {
          Resource.Builder resource = Resource.newBuilder();
          labels.forEach(
              (name, value) ->
                  resource.addAttributes(
                      KeyValue.newBuilder()
                          .setKey(name)
                          .setValue(AnyValue.newBuilder().setStringValue(value))));
          request.addResourceProfiles(
              ResourceProfiles.newBuilder().setResource(resource).addScopeProfiles(scope));
        });
    return request.setDictionary(dictionary.build()).build();
  }

  /** The binary request. */
  public static byte[] toBytes(List<Profile> profiles) {
    return encode(profiles).toByteArray();
  }

  /** The request as OTLP/JSON. */
  public static String toJson(List<Profile> profiles) {
    return OtlpJson.print(encode(profiles));
  }

  private static io.opentelemetry.proto.profiles.v1development.Profile profile(
      Profile profile, OtlpDictionaryBuilder dictionary) {
    ProfileType type = profile.type();
    var out =
        io.opentelemetry.proto.profiles.v1development.Profile.newBuilder()
            .setSampleType(valueType(type.sampleType(), type.sampleUnit(), dictionary))
            .setPeriodType(valueType(type.periodType(), type.periodUnit(), dictionary))
            .setPeriod(profile.period())
            .setTimeUnixNano(profile.timeNanos())
            .setDurationNano(profile.durationNanos())
            .addAttributeIndices(
                dictionary.attribute(
                    dictionary.stringAttribute(OtlpAttributes.PROFILE_NAME, type.name())));

    record Key(int stack, List<Integer> attributes) {}
    Map<Key, io.opentelemetry.proto.profiles.v1development.Sample.Builder> timed =
        new LinkedHashMap<>();
    List<io.opentelemetry.proto.profiles.v1development.Sample.Builder> samples = new ArrayList<>();
    for (Sample s : profile.samples()) {
      int stack = dictionary.stack(s.stack());
      List<Integer> attributes = dictionary.attributes(s.attributes());
      if (s.timestampNanos() == 0) {
        samples.add(sample(stack, attributes).addValues(s.value()));
        continue;
      }
      var group = timed.get(new Key(stack, attributes));
      if (group == null) {
        group = sample(stack, attributes);
        timed.put(new Key(stack, attributes), group);
        samples.add(group);
      }
      group.addValues(s.value()).addTimestampsUnixNano(s.timestampNanos());
    }
    samples.forEach(out::addSamples);
    return out.build();
  }

  private static io.opentelemetry.proto.profiles.v1development.Sample.Builder sample(
      int stack, List<Integer> attributes) {
    return io.opentelemetry.proto.profiles.v1development.Sample.newBuilder()
        .setStackIndex(stack)
        .addAllAttributeIndices(attributes);
  }

  private static ValueType valueType(String type, String unit, OtlpDictionaryBuilder dictionary) {
    return ValueType.newBuilder()
        .setTypeStrindex(dictionary.string(type))
        .setUnitStrindex(dictionary.string(unit))
        .build();
  }
}
