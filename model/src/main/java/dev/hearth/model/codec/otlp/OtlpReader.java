package dev.hearth.model.codec.otlp;

import dev.hearth.model.Attribute;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.model.Temporality;
import dev.hearth.model.codec.FrameCache;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.ProfileNames;
import dev.hearth.model.codec.SampleCounts;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.profiles.v1development.KeyValueAndUnit;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns parsed 1.11 messages into model profiles; see {@link OtlpDecoder} for the rules. */
final class OtlpReader {
  /** A resource's series labels and the attributes every one of its samples carries. */
  private record Series(LabelSet labels, List<Attribute> sampleAttributes) {}

  private final OtlpDictionary dictionary;

  private OtlpReader(ProfilesDictionary dictionary) {
    this.dictionary = new OtlpDictionary(dictionary, FrameCache.shared());
  }

  /**
   * @param cumulative ordinals (in resource, scope, profile order) of profiles to mark {@link
   *     Temporality#CUMULATIVE}; empty for 1.11 payloads, which have no such notion
   */
  static List<Profile> read(
      List<ResourceProfiles> resources,
      boolean hasDictionary,
      ProfilesDictionary dictionary,
      BitSet cumulative)
      throws ProfileDecodeException {
    OtlpReader reader = new OtlpReader(dictionary);
    List<Profile> out = new ArrayList<>();
    int ordinal = 0;
    for (int r = 0; r < resources.size(); r++) {
      ResourceProfiles rp = resources.get(r);
      String resourceWhere = "resource_profiles[" + r + "]";
      Series series = reader.wrap(resourceWhere, () -> reader.series(rp.getResource()));
      for (int s = 0; s < rp.getScopeProfilesCount(); s++) {
        var profiles = rp.getScopeProfiles(s).getProfilesList();
        List<Profile> scope = new ArrayList<>(profiles.size());
        for (int p = 0; p < profiles.size(); p++) {
          var profile = profiles.get(p);
          String where = resourceWhere + ".scope_profiles[" + s + "].profiles[" + p + "]";
          if (!hasDictionary && profile.getSamplesCount() > 0) {
            throw new ProfileDecodeException(
                "OTLP "
                    + where
                    + " has samples but the request has no dictionary: it looks like OTLP"
                    + " profiles from opentelemetry-proto ≤ 1.6, which kept the tables elsewhere; "
                    + OtlpLayout.UPGRADE);
          }
          boolean isCumulative = cumulative.get(ordinal++);
          scope.add(reader.wrap(where, () -> reader.profile(profile, series, isCumulative)));
        }
        // pprof's sample types arrive as sibling profiles: their counts come from the one
        // that counts events, as when the pprof is read directly.
        out.addAll(SampleCounts.pairSiblings(scope));
      }
    }
    return out;
  }

  @FunctionalInterface
  private interface Step<T> {
    T run() throws ProfileDecodeException;
  }

  /** Runs a step, prefixing any failure with where in the request it happened. */
  private <T> T wrap(String where, Step<T> step) throws ProfileDecodeException {
    try {
      return step.run();
    } catch (ProfileDecodeException e) {
      throw new ProfileDecodeException("OTLP " + where + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) { // a model constructor refused a decoded value
      throw new ProfileDecodeException("OTLP " + where + ": " + e.getMessage(), e);
    }
  }

  private Series series(Resource resource) throws ProfileDecodeException {
    Map<String, String> labels = new LinkedHashMap<>();
    List<Attribute> perSample = new ArrayList<>();
    for (int i = 0; i < resource.getAttributesCount(); i++) {
      KeyValue kv = resource.getAttributes(i);
      String field = "resource.attributes[" + i + "]";
      String key = OtlpAttributes.key(kv, dictionary, field);
      AnyValue value = kv.getValue();
      if (key.isEmpty()
          || value.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET
          || OtlpAttributes.isDescriptive(key)) {
        continue;
      }
      if (OtlpAttributes.HIGH_CARDINALITY.contains(key)) {
        perSample.add(
            value.getValueCase() == AnyValue.ValueCase.INT_VALUE
                ? Attribute.number(key, value.getIntValue(), "")
                : Attribute.string(key, OtlpAttributes.text(value, dictionary, field)));
        continue;
      }
      String text = OtlpAttributes.text(value, dictionary, field + ".value");
      if (!text.isEmpty()) {
        labels.putIfAbsent(LabelSet.sanitizeName(key), text); // the first of clashing keys wins
      }
    }
    return new Series(LabelSet.of(labels), List.copyOf(perSample));
  }

  private Profile profile(
      io.opentelemetry.proto.profiles.v1development.Profile p, Series series, boolean cumulative)
      throws ProfileDecodeException {
    String sampleType =
        dictionary.get(p.getSampleType().getTypeStrindex(), "sample_type.type_strindex");
    String sampleUnit =
        dictionary.get(p.getSampleType().getUnitStrindex(), "sample_type.unit_strindex");
    if (sampleType.isEmpty() || sampleUnit.isEmpty()) {
      throw new ProfileDecodeException("sample_type needs both a type and a unit");
    }
    String periodType =
        dictionary.get(p.getPeriodType().getTypeStrindex(), "period_type.type_strindex");
    String periodUnit =
        dictionary.get(p.getPeriodType().getUnitStrindex(), "period_type.unit_strindex");
    periodType = periodType.isEmpty() ? sampleType : periodType;
    periodUnit = periodUnit.isEmpty() ? sampleUnit : periodUnit;
    String name = "";
    for (int i = 0; i < p.getAttributeIndicesCount(); i++) {
      String field = "attribute_indices[" + i + "]";
      KeyValueAndUnit kv = dictionary.attributeEntry(p.getAttributeIndices(i), field);
      if (dictionary
          .get(kv.getKeyStrindex(), field + ".key_strindex")
          .equals(OtlpAttributes.PROFILE_NAME)) {
        name = OtlpAttributes.text(kv.getValue(), dictionary, field + ".value");
      }
    }
    if (name.isEmpty()) {
      name = ProfileNames.guess(sampleType, periodType);
    }
    ProfileType type = new ProfileType(name, sampleType, sampleUnit, periodType, periodUnit);
    return new Profile(
        type,
        series.labels(),
        p.getTimeUnixNano(),
        p.getDurationNano(),
        p.getPeriod(),
        cumulative ? Temporality.CUMULATIVE : Temporality.DELTA,
        samples(p, series, sampleUnit.equals("count")));
  }

  private List<Sample> samples(
      io.opentelemetry.proto.profiles.v1development.Profile p, Series series, boolean countUnit)
      throws ProfileDecodeException {
    List<Sample> out = new ArrayList<>(p.getSamplesCount());
    for (int i = 0; i < p.getSamplesCount(); i++) {
      var s = p.getSamples(i);
      String where = "samples[" + i + "]";
      Stack stack = dictionary.stack(s.getStackIndex(), where + ".stack_index");
      List<Attribute> attributes = attributes(s.getAttributeIndicesList(), series, where);
      int values = s.getValuesCount();
      int timestamps = s.getTimestampsUnixNanoCount();
      if (values == 0 && timestamps == 0) {
        throw new ProfileDecodeException(where + " has neither values nor timestamps_unix_nano");
      }
      if (values != 0 && timestamps != 0 && values != timestamps) {
        throw new ProfileDecodeException(
            where
                + " has "
                + values
                + " values and "
                + timestamps
                + " timestamps_unix_nano; when both are given they must pair up");
      }
      for (int j = 0; j < Math.max(values, timestamps); j++) {
        // Timestamps alone: each is one event of value 1. A value in a count unit counts
        // itself; any other value is one observation.
        long value = values == 0 ? 1 : s.getValues(j);
        long count = values != 0 && countUnit ? Math.max(0, value) : 1;
        long timestamp = timestamps == 0 ? 0 : s.getTimestampsUnixNano(j);
        out.add(new Sample(stack, value, count, attributes, timestamp));
      }
    }
    return out;
  }

  private List<Attribute> attributes(List<Integer> indices, Series series, String where)
      throws ProfileDecodeException {
    if (indices.isEmpty()) {
      return series.sampleAttributes();
    }
    List<Attribute> out = new ArrayList<>(indices.size() + series.sampleAttributes().size());
    for (int i = 0; i < indices.size(); i++) {
      Attribute a = dictionary.attribute(indices.get(i), where + ".attribute_indices[" + i + "]");
      if (a != null) {
        out.add(a);
      }
    }
    // A resource-level pid or thread yields to the same key on the sample itself.
    for (Attribute a : series.sampleAttributes()) {
      if (out.stream().noneMatch(o -> o.key().equals(a.key()))) {
        out.add(a);
      }
    }
    return out;
  }
}
