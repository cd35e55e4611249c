package dev.hearth.model.codec.otlp;

import dev.hearth.model.codec.ProfileDecodeException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** The attribute keys the OTLP codec gives meaning to, and how attribute values read as text. */
final class OtlpAttributes {
  /** Profile attribute naming the profile family ({@code process_cpu}, {@code memory}, …). */
  static final String PROFILE_NAME = "hearth.profile.name";

  /** Location attribute naming the runtime that produced the frame ({@code native}, …). */
  static final String FRAME_TYPE = "profile.frame.type";

  /**
   * Mapping attributes carrying a build id; the suffix after the last dot is the model's build id
   * kind. Earlier entries win when a mapping carries several.
   */
  static final String BUILD_ID_PREFIX = "process.executable.build_id.";

  static final List<String> BUILD_ID_KINDS = List.of("gnu", "go", "htlhash", "profiling");

  /** A mapping's build id whose kind is unknown. */
  static final String BUILD_ID_PLAIN = "process.executable.build_id";

  /**
   * Resource attributes that would explode the number of series; they travel with each sample as
   * {@link dev.hearth.model.Attribute}s instead (DESIGN.md, "Profile types, labels, selectors").
   */
  static final Set<String> HIGH_CARDINALITY =
      Set.of("process.pid", "pid", "thread.id", "thread.name", "cpu.logical_number");

  /**
   * Whether a resource attribute describes the process or host without naming a series: the
   * operating system, architecture, runtime, executable path and command line. Producers differ in
   * which of these they send (Hearth's agent sends {@code os.type} and {@code host.arch}, the OTel
   * eBPF profiler {@code process.executable.path}), so making them labels would split one process
   * into several series; they are left out of the series labels.
   */
  static boolean isDescriptive(String key) {
    return key.startsWith("os.")
        || key.equals("host.arch")
        || key.startsWith("process.runtime.")
        || key.equals("process.executable.path")
        || key.startsWith("process.command")
        || key.equals("process.owner")
        || key.startsWith("telemetry.");
  }

  private OtlpAttributes() {}

  /** Resolves a {@code *_strindex} against the dictionary's string table. */
  @FunctionalInterface
  interface Strings {
    String get(int index, String field) throws ProfileDecodeException;
  }

  /**
   * The text of a value: strings as they are, numbers in decimal, booleans as {@code true} or
   * {@code false}, bytes in hex, arrays and key-value lists as {@code [a, b]} and {@code {k=v}}.
   */
  static String text(AnyValue value, Strings strings, String field) throws ProfileDecodeException {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case STRING_VALUE_STRINDEX ->
          strings.get(value.getStringValueStrindex(), field + ".string_value_strindex");
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case BYTES_VALUE -> HexFormat.of().formatHex(value.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        StringBuilder sb = new StringBuilder("[");
        List<AnyValue> values = value.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          sb.append(i == 0 ? "" : ", ").append(text(values.get(i), strings, field));
        }
        yield sb.append(']').toString();
      }
      case KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder("{");
        List<KeyValue> values = value.getKvlistValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          KeyValue kv = values.get(i);
          sb.append(i == 0 ? "" : ", ")
              .append(key(kv, strings, field))
              .append('=')
              .append(text(kv.getValue(), strings, field));
        }
        yield sb.append('}').toString();
      }
      case VALUE_NOT_SET -> "";
    };
  }

  /** A {@link KeyValue}'s key: its {@code key}, else its {@code key_strindex}. */
  static String key(KeyValue kv, Strings strings, String field) throws ProfileDecodeException {
    if (!kv.getKey().isEmpty() || kv.getKeyStrindex() == 0) {
      return kv.getKey();
    }
    return strings.get(kv.getKeyStrindex(), field + ".key_strindex");
  }
}
