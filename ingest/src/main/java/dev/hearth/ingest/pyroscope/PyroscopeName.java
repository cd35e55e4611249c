package dev.hearth.ingest.pyroscope;

import dev.hearth.ingest.IngestException;
import dev.hearth.model.ProfileType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Pyroscope's {@code /ingest?name=} key, {@code app.cpu{env=prod,region=eu}}: an application name,
 * optionally ending in a profile-type suffix, and labels. The application becomes {@code
 * service_name} (unless a {@code service_name} label is given, when it becomes {@code app_name}, as
 * in Pyroscope); for folded uploads the suffix says what the counts measure. Label names in the
 * braces follow Pyroscope's rule (letters, digits, {@code _}, {@code .}) and are kept as written:
 * {@code app{otel.scope.name=x}} stores the label {@code otel.scope.name}.
 *
 * @param app the application name without a known type suffix
 * @param suffix the type suffix ({@code cpu}, {@code alloc_objects}, …), or null
 * @param labels the labels in braces, as written
 */
public record PyroscopeName(String app, @Nullable String suffix, Map<String, String> labels) {

  /** Parses a key; throws a 400 naming what is wrong. */
  public static PyroscopeName parse(@Nullable String key) {
    if (key == null || key.isBlank()) {
      throw IngestException.invalid("invalid_name", "the 'name' parameter is required");
    }
    String name = key.strip();
    Map<String, String> labels = new LinkedHashMap<>();
    int brace = name.indexOf('{');
    if (brace >= 0) {
      if (!name.endsWith("}")) {
        throw IngestException.invalid(
            "invalid_name", "the 'name' parameter's labels must end with '}'");
      }
      String inner = name.substring(brace + 1, name.length() - 1);
      name = name.substring(0, brace).strip();
      for (String pair : inner.split(",", -1)) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw IngestException.invalid(
              "invalid_labels", "label '" + pair.strip() + "' in 'name' is not key=value");
        }
        String label = pair.substring(0, eq).strip();
        if (!isKeyLabelName(label)) {
          throw IngestException.invalid(
              "invalid_labels",
              "label name '"
                  + label
                  + "' in 'name' is invalid: Pyroscope's keys use letters, digits, '_' and '.'");
        }
        labels.put(label, pair.substring(eq + 1).strip());
      }
    }
    if (name.isEmpty()) {
      throw IngestException.invalid("invalid_name", "the 'name' parameter has no application name");
    }
    int dot = name.lastIndexOf('.');
    if (dot > 0 && FoldedTypes.isKnown(name.substring(dot + 1))) {
      return new PyroscopeName(name.substring(0, dot), name.substring(dot + 1), labels);
    }
    return new PyroscopeName(name, null, labels);
  }

  /** Pyroscope's rule for label names inside the key: letters, digits, {@code _} and {@code .}. */
  static boolean isKeyLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The series labels: the given ones plus {@code service_name} (or {@code app_name} when {@code
   * service_name} is given), and {@code pyroscope_spy} when the client named its profiler.
   */
  public Map<String, String> seriesLabels(@Nullable String spyName) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    if (out.containsKey("service_name")) {
      out.putIfAbsent("app_name", app);
    } else {
      out.put("service_name", app);
    }
    if (spyName != null && !spyName.isBlank()) {
      out.putIfAbsent("pyroscope_spy", spyName);
    }
    return out;
  }

  /** The type a folded upload's counts measure, as Pyroscope maps the suffix. */
  public FoldedTypes.Folded foldedType(long sampleRate) {
    return FoldedTypes.of(suffix == null ? "cpu" : suffix, sampleRate, true);
  }

  /** Pyroscope's folded profile types by name suffix. */
  public static final class FoldedTypes {
    private FoldedTypes() {}

    /**
     * @param type the profile type
     * @param valuePerSample what one counted sample is worth
     */
    public record Folded(ProfileType type, long valuePerSample) {}

    static boolean isKnown(String suffix) {
      return of(suffix, 0) != null;
    }

    /**
     * The type of a suffix; CPU and wall counts are samples at {@code sampleRate} Hz, worth
     * 1e9/rate ns each (Pyroscope's default rate is 100 Hz).
     */
    static @Nullable Folded of(String suffix, long sampleRate) {
      long period = 1_000_000_000L / (sampleRate > 0 ? sampleRate : 100);
      return switch (suffix) {
        case "cpu", "itimer" -> new Folded(ProfileType.CPU, period);
        case "wall", "seconds", "nanoseconds", "microseconds", "milliseconds" ->
            new Folded(
                new ProfileType("wall", "wall", "nanoseconds", "wall", "nanoseconds"), period);
        case "inuse_objects" -> new Folded(ProfileType.INUSE_OBJECTS, 1);
        case "inuse_space" -> new Folded(ProfileType.INUSE_SPACE, 1);
        case "alloc_objects" -> new Folded(ProfileType.ALLOC_OBJECTS, 1);
        case "alloc_space" -> new Folded(ProfileType.ALLOC_SPACE, 1);
        case "goroutines" ->
            new Folded(
                new ProfileType("goroutine", "goroutines", "count", "goroutine", "count"), 1);
        case "mutex_count", "lock_count" ->
            new Folded(new ProfileType("mutex", "contentions", "count", "mutex", "count"), 1);
        case "mutex_duration", "lock_duration" ->
            new Folded(new ProfileType("mutex", "delay", "nanoseconds", "mutex", "count"), 1);
        case "block_count" ->
            new Folded(new ProfileType("block", "contentions", "count", "block", "count"), 1);
        case "block_duration" ->
            new Folded(new ProfileType("block", "delay", "nanoseconds", "block", "count"), 1);
        case "alloc_in_new_tlab_objects",
            "alloc_outside_tlab_objects",
            "live",
            "alloc_in_new_tlab_bytes",
            "alloc_outside_tlab_bytes" ->
            new Folded(
                new ProfileType(
                    "memory",
                    suffix,
                    suffix.endsWith("bytes") ? "bytes" : "count",
                    "space",
                    "bytes"),
                1);
        case "exceptions" ->
            new Folded(new ProfileType("exceptions", "samples", "count", "exceptions", "count"), 1);
        default -> null;
      };
    }

    static Folded of(String suffix, long sampleRate, boolean required) {
      Folded f = of(suffix, sampleRate);
      if (f == null) {
        throw IngestException.invalid(
            "invalid_name", "unknown profile type suffix '" + suffix + "'");
      }
      return f;
    }
  }
}
