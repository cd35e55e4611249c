package dev.hearth.model.codec.otlp;

import com.google.protobuf.UnknownFieldSet;
import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesDictionary;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.Sample;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Refuses messages that something already parsed with the 1.11 classes (a gRPC stub, say) when they
 * came from an older producer. Such a parse has already read 1.9's sample values as 32-bit
 * attribute indices, so nothing here can be converted; the raw bytes can, through {@link
 * OtlpDecoder#decode(byte[], long)}.
 *
 * <p>The signs: fields the 1.11 schema does not know at numbers older layouts used (1.9's packed
 * attribute indices in {@code Sample} field 3, 1.8's {@code ValueType.aggregation_temporality} and
 * {@code Profile} field 12, ≤ 1.7 tables up to {@code Profile} field 22), samples with attribute
 * indices but neither values nor timestamps, and timestamp-only samples whose "attribute indices"
 * pair up with the timestamps yet name no valid attributes.
 */
final class OtlpParsedCheck {
  private OtlpParsedCheck() {}

  static void check(List<ResourceProfiles> resources, ProfilesDictionary dictionary)
      throws ProfileDecodeException {
    for (int i = 0; i < dictionary.getAttributeTableCount(); i++) {
      unknown(dictionary.getAttributeTable(i).getUnknownFields(), 3, "attribute_table[" + i + "]");
    }
    for (int i = 0; i < dictionary.getStackTableCount(); i++) {
      unknown(dictionary.getStackTable(i).getUnknownFields(), 2, "stack_table[" + i + "]");
    }
    for (int r = 0; r < resources.size(); r++) {
      var scopes = resources.get(r).getScopeProfilesList();
      for (int s = 0; s < scopes.size(); s++) {
        var profiles = scopes.get(s).getProfilesList();
        for (int p = 0; p < profiles.size(); p++) {
          String where =
              "resource_profiles[" + r + "].scope_profiles[" + s + "].profiles[" + p + "]";
          profile(profiles.get(p), dictionary, where);
        }
      }
    }
  }

  private static void profile(Profile p, ProfilesDictionary dictionary, String where)
      throws ProfileDecodeException {
    unknown(p.getUnknownFields(), 22, where);
    unknown(p.getSampleType().getUnknownFields(), 3, where + ".sample_type");
    unknown(p.getPeriodType().getUnknownFields(), 3, where + ".period_type");
    for (int i = 0; i < p.getSamplesCount(); i++) {
      Sample s = p.getSamples(i);
      String at = where + ".samples[" + i + "]";
      unknown(s.getUnknownFields(), 6, at);
      int attributes = s.getAttributeIndicesCount();
      if (s.getValuesCount() == 0 && s.getTimestampsUnixNanoCount() == 0 && attributes > 0) {
        refuse(at + " has attribute_indices but neither values nor timestamps");
      }
      if (s.getValuesCount() == 0
          && attributes == s.getTimestampsUnixNanoCount()
          && invalidAttributes(s.getAttributeIndicesList(), dictionary) != null) {
        refuse(
            at
                + " has as many attribute_indices as timestamps and they "
                + invalidAttributes(s.getAttributeIndicesList(), dictionary));
      }
    }
  }

  /** Why these indices cannot be a 1.11 sample's attributes, or null if they can. */
  private static @Nullable String invalidAttributes(List<Integer> indices, ProfilesDictionary d) {
    Set<String> keys = new HashSet<>();
    for (int index : indices) {
      if (index <= 0 || index >= d.getAttributeTableCount()) {
        return "point outside attribute_table";
      }
      int key = d.getAttributeTable(index).getKeyStrindex();
      String name = key > 0 && key < d.getStringTableCount() ? d.getStringTable(key) : "#" + key;
      if (!keys.add(name)) {
        return "repeat an attribute key";
      }
    }
    return null;
  }

  /**
   * Refuses an unknown field numbered at most {@code oldest}: a number some older layout used (or a
   * known field in the wrong wire type). Higher numbers are a later release's additions and are
   * ignored, as protobuf ignores them.
   */
  private static void unknown(UnknownFieldSet fields, int oldest, String where)
      throws ProfileDecodeException {
    Map.Entry<Integer, UnknownFieldSet.Field> first = null;
    for (Map.Entry<Integer, UnknownFieldSet.Field> e : fields.asMap().entrySet()) {
      if (e.getKey() <= oldest) {
        first = e;
        break;
      }
    }
    if (first == null) {
      return;
    }
    UnknownFieldSet.Field f = first.getValue();
    String kind =
        !f.getLengthDelimitedList().isEmpty()
            ? "length-delimited"
            : !f.getVarintList().isEmpty() ? "varint" : "fixed-width";
    refuse(where + " has field " + first.getKey() + " (" + kind + "), which 1.11 does not define");
  }

  private static void refuse(String why) throws ProfileDecodeException {
    throw new ProfileDecodeException(
        "OTLP profiles "
            + OtlpLayout.LEGACY_1_9
            + ": "
            + why
            + ". The message was already parsed with the 1.11 schema, which keeps only 32 bits"
            + " of such values; hand the raw bytes to OtlpDecoder.decode(byte[], long) to have"
            + " them converted, or "
            + OtlpLayout.UPGRADE);
  }
}
