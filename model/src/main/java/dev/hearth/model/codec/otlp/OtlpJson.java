package dev.hearth.model.codec.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.collector.profiles.v1development.ExportProfilesServiceRequest;
import io.opentelemetry.proto.profiles.v1development.Link;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OTLP/JSON for profiles: the proto3 JSON mapping with OTLP's departures. Trace and span ids (and
 * profile ids) are hex, not base64; unknown fields are ignored, as OTLP/JSON requires of receivers;
 * 64-bit integers may be strings or numbers and enums names or numbers (the JSON mapping accepts
 * both).
 *
 * <p>JSON names fields rather than numbering them, so 1.9's renumbering of {@code Sample} does not
 * touch it: 1.9 JSON reads as it was meant. Names that only 1.8 and older used ({@code sample},
 * {@code Location.line}, {@code aggregationTemporality}, …) would vanish as unknown fields, so
 * their presence is refused instead.
 */
final class OtlpJson {
  private OtlpJson() {}

  static ExportProfilesServiceRequest parse(String json) throws ProfileDecodeException {
    Struct tree = Struct.newBuilder().build();
    try {
      Struct.Builder b = Struct.newBuilder();
      JsonFormat.parser().merge(json, b);
      tree = b.build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw malformed(e);
    }
    String legacy = legacyField(tree);
    if (legacy != null) {
      throw new ProfileDecodeException(
          "OTLP profiles JSON has "
              + legacy
              + ", a name only opentelemetry-proto 1.8 and older used: it looks like OTLP profiles"
              + " from opentelemetry-proto ≤ 1.8, which Hearth reads only as protobuf; "
              + OtlpLayout.UPGRADE);
    }
    ExportProfilesServiceRequest.Builder request = ExportProfilesServiceRequest.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, request);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw malformed(e);
    }
    hexIds(tree, request);
    return request.build();
  }

  static String print(ExportProfilesServiceRequest request) {
    // The encoder writes no trace, span or profile ids, so the JSON mapping's base64 never shows.
    try {
      return JsonFormat.printer().print(request);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("OTLP request cannot be printed as JSON", e);
    }
  }

  private static ProfileDecodeException malformed(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.length() > 200) {
      message = message.substring(0, 200) + "…";
    }
    return new ProfileDecodeException("OTLP profiles JSON is malformed: " + message, e);
  }

  /** The first field only 1.8 and older wrote, described, or null. */
  private static @Nullable String legacyField(Struct tree) {
    for (String key : List.of("mappingTable", "mapping_table", "stringTable", "string_table")) {
      if (tree.containsFields(key)) {
        return "top-level '" + key + "'";
      }
    }
    Struct dictionary = struct(field(tree, "dictionary"));
    if (dictionary != null) {
      if (field(dictionary, "attributeUnits", "attribute_units") != null) {
        return "'dictionary.attributeUnits'";
      }
      for (Value location : list(field(dictionary, "locationTable", "location_table"))) {
        Struct l = struct(location);
        if (l != null && l.containsFields("line")) {
          return "'Location.line' (now 'lines')";
        }
      }
    }
    for (Value resource : list(field(tree, "resourceProfiles", "resource_profiles"))) {
      for (Value scope : list(field(struct(resource), "scopeProfiles", "scope_profiles"))) {
        for (Value profile : list(field(struct(scope), "profiles"))) {
          String why = legacyProfileField(struct(profile));
          if (why != null) {
            return why;
          }
        }
      }
    }
    return null;
  }

  private static @Nullable String legacyProfileField(@Nullable Struct p) {
    if (p == null) {
      return null;
    }
    for (String key :
        List.of(
            "sample",
            "commentStrindices",
            "comment_strindices",
            "locationIndices",
            "location_indices",
            "timeNanos",
            "time_nanos",
            "stringTable",
            "string_table")) {
      if (p.containsFields(key)) {
        return "'Profile." + key + "'";
      }
    }
    Value sampleType = field(p, "sampleType", "sample_type");
    if (sampleType != null && sampleType.hasListValue()) {
      return "a list of 'Profile.sampleType'";
    }
    for (Value type : List.of(value(sampleType), value(field(p, "periodType", "period_type")))) {
      Struct t = struct(type);
      if (t != null && field(t, "aggregationTemporality", "aggregation_temporality") != null) {
        return "'ValueType.aggregationTemporality'";
      }
    }
    return null;
  }

  /** Replaces link and profile ids written in hex with their bytes. */
  private static void hexIds(Struct tree, ExportProfilesServiceRequest.Builder request)
      throws ProfileDecodeException {
    Struct dictionary = struct(field(tree, "dictionary"));
    List<Value> links =
        list(dictionary == null ? null : field(dictionary, "linkTable", "link_table"));
    for (int i = 0; i < links.size() && i < request.getDictionary().getLinkTableCount(); i++) {
      Struct link = struct(links.get(i));
      if (link == null) {
        continue;
      }
      Link.Builder b = request.getDictionaryBuilder().getLinkTableBuilder(i);
      ByteString trace = hex(field(link, "traceId", "trace_id"), 16, "link_table[" + i + "]");
      ByteString span = hex(field(link, "spanId", "span_id"), 8, "link_table[" + i + "]");
      if (trace != null) {
        b.setTraceId(trace);
      }
      if (span != null) {
        b.setSpanId(span);
      }
    }
    var resources = list(field(tree, "resourceProfiles", "resource_profiles"));
    for (int r = 0; r < resources.size(); r++) {
      var scopes = list(field(struct(resources.get(r)), "scopeProfiles", "scope_profiles"));
      for (int s = 0; s < scopes.size(); s++) {
        var profiles = list(field(struct(scopes.get(s)), "profiles"));
        for (int p = 0; p < profiles.size(); p++) {
          String where = "profiles[" + p + "]";
          ByteString id = hex(field(struct(profiles.get(p)), "profileId", "profile_id"), 16, where);
          if (id != null) {
            request
                .getResourceProfilesBuilder(r)
                .getScopeProfilesBuilder(s)
                .getProfilesBuilder(p)
                .setProfileId(id);
          }
        }
      }
    }
  }

  /** The id's bytes if it is written as hex of the expected size; null leaves base64 as read. */
  private static @Nullable ByteString hex(@Nullable Value v, int bytes, String where)
      throws ProfileDecodeException {
    if (v == null || !v.hasStringValue() || v.getStringValue().length() != bytes * 2) {
      return null;
    }
    try {
      return ByteString.copyFrom(HexFormat.of().parseHex(v.getStringValue()));
    } catch (IllegalArgumentException e) {
      throw new ProfileDecodeException(
          "OTLP profiles JSON " + where + " has an id that is neither hex nor base64", e);
    }
  }

  private static @Nullable Value field(@Nullable Struct s, String... names) {
    if (s == null) {
      return null;
    }
    Map<String, Value> fields = s.getFieldsMap();
    for (String name : names) {
      Value v = fields.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static Value value(@Nullable Value v) {
    return v == null ? Value.getDefaultInstance() : v;
  }

  private static @Nullable Struct struct(@Nullable Value v) {
    return v != null && v.hasStructValue() ? v.getStructValue() : null;
  }

  private static List<Value> list(@Nullable Value v) {
    return v != null && v.hasListValue() ? v.getListValue().getValuesList() : List.of();
  }
}
