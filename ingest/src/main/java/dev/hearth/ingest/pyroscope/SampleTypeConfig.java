package dev.hearth.ingest.pyroscope;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.ingest.IngestException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Pyroscope's {@code sample_type_config} multipart part: per pprof sample type, {@code {"units": …,
 * "aggregation": …, "cumulative": true, "display-name": …}}. Hearth uses {@code cumulative} (values
 * are counters since process start, stored as deltas) and {@code display-name} (the name the sample
 * type is stored under).
 *
 * @param cumulative sample types marked cumulative
 * @param displayNames sample type → the name to store it under
 */
public record SampleTypeConfig(Set<String> cumulative, Map<String, String> displayNames) {

  /** Parses the JSON part; throws a 400 when it is not the expected object. */
  public static SampleTypeConfig parse(byte[] json) {
    Struct.Builder root = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(new String(json, StandardCharsets.UTF_8), root);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw IngestException.invalid(
          "invalid_sample_type_config",
          "sample_type_config is not a JSON object: " + e.getMessage());
    }
    Set<String> cumulative = new HashSet<>();
    Map<String, String> names = new HashMap<>();
    for (Map.Entry<String, Value> e : root.getFieldsMap().entrySet()) {
      if (!e.getValue().hasStructValue()) {
        throw IngestException.invalid(
            "invalid_sample_type_config",
            "sample_type_config['" + e.getKey() + "'] must be an object");
      }
      Map<String, Value> fields = e.getValue().getStructValue().getFieldsMap();
      Value c = fields.get("cumulative");
      if (c != null && c.getBoolValue()) {
        cumulative.add(e.getKey());
      }
      Value d = fields.get("display-name");
      if (d != null && !d.getStringValue().isBlank()) {
        names.put(e.getKey(), d.getStringValue());
      }
    }
    return new SampleTypeConfig(Set.copyOf(cumulative), Map.copyOf(names));
  }
}
