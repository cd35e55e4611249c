package dev.hearth.ingest.pyroscope;

import dev.hearth.ingest.IngestException;
import dev.hearth.ingest.Payload;
import dev.hearth.model.EpochNumbers;
import dev.hearth.model.codec.pprof.PprofOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Pyroscope's {@code POST /ingest?name=app.cpu{k=v}&from&until&format&sampleRate&spyName}: the
 * query parameters, the {@code Content-Type} and the body become one {@link Payload}. The format is
 * chosen as Pyroscope chooses it:
 *
 * <ul>
 *   <li>{@code format=jfr}: a raw recording, or multipart with {@code jfr} and {@code labels};
 *   <li>{@code format=pprof}: a raw pprof, or multipart;
 *   <li>no (or another) format with a {@code multipart/form-data} body: pprof multipart with {@code
 *       profile}, {@code prev_profile} (cumulative types are stored as {@code profile −
 *       prev_profile}) and {@code sample_type_config} — what {@code pyroscope-go} sends;
 *   <li>otherwise {@code format=folded} (Pyroscope's {@code groups}, the default): folded stacks
 *       whose name suffix says the type, CPU and wall counts being samples at {@code sampleRate} Hz
 *       (default 100); {@code format=lines}: one stack per line, each counted once.
 * </ul>
 *
 * Pyroscope's legacy binary {@code trie} and {@code tree} formats and {@code speedscope} are
 * refused with 415. {@code from} and {@code until} are epoch numbers of any unit ({@link
 * EpochNumbers}) or {@code now}; {@code until} before {@code from} is refused naming {@code until}.
 */
public final class PyroscopeIngest {
  private PyroscopeIngest() {}

  /**
   * The payload of one {@code /ingest} request.
   *
   * @param params the query parameter of that name, or null when absent
   * @param contentType the request's {@code Content-Type}, or null
   * @param body the body, already within the size limits (possibly gzip)
   */
  public static Payload payload(
      Function<String, @Nullable String> params, @Nullable String contentType, byte[] body) {
    PyroscopeName name = PyroscopeName.parse(params.apply("name"));
    Map<String, String> labels = name.seriesLabels(params.apply("spyName"));
    long from = epochNanos(params.apply("from"), "from");
    long until = epochNanos(params.apply("until"), "until");
    if (from > 0 && until > 0 && until < from) {
      throw IngestException.invalid(
          "invalid_time_range", "'until' (" + until + " ns) is before 'from' (" + from + " ns)");
    }
    long sampleRate = nonNegativeLong(params.apply("sampleRate"), "sampleRate");
    boolean multipart = Multipart.isMultipart(contentType);
    String format = format(params.apply("format"), contentType);
    return switch (format) {
      case "folded", "groups", "lines" -> {
        if (multipart) {
          throw IngestException.unsupported(
              "format=" + format + " takes a plain-text body, not multipart");
        }
        PyroscopeName.FoldedTypes.Folded t = name.foldedType(sampleRate);
        byte[] text = format.equals("lines") ? Lines.toFolded(body) : body;
        yield new Payload.Folded(text, t.type(), t.valuePerSample(), labels, from, until);
      }
      case "pprof" -> pprof(contentType, body, labels, from, until);
      case "jfr" -> {
        long period = 1_000_000_000L / (sampleRate > 0 ? sampleRate : 100);
        if (multipart) {
          Map<String, byte[]> parts = Multipart.parse(nonNull(contentType), body);
          byte[] jfr = parts.get("jfr");
          if (jfr == null) {
            throw IngestException.invalid("multipart", "format=jfr multipart has no 'jfr' part");
          }
          yield new Payload.Jfr(jfr, parts.get("labels"), labels, period);
        }
        yield new Payload.Jfr(body, null, labels, period);
      }
      case "trie", "tree", "speedscope" ->
          throw IngestException.unsupported(
              "format '"
                  + format
                  + "' (Pyroscope's legacy upload) is not supported; send folded, pprof or jfr");
      default ->
          throw IngestException.invalid(
              "unsupported_format",
              "format '" + format + "' is not supported; use folded, pprof or jfr");
    };
  }

  /** The format Pyroscope would pick for this request (see the class comment). */
  static String format(@Nullable String format, @Nullable String contentType) {
    String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    String type = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
    if (f.isEmpty() && type.startsWith("binary/octet-stream+trie")) {
      return "trie";
    }
    if (f.isEmpty() && type.startsWith("binary/octet-stream+tree")) {
      return "tree";
    }
    if (!f.isEmpty()) {
      return f;
    }
    return Multipart.isMultipart(contentType) ? "pprof" : "folded";
  }

  private static Payload pprof(
      @Nullable String contentType,
      byte[] body,
      Map<String, String> labels,
      long from,
      long until) {
    Set<String> cumulative = PprofOptions.GO_CUMULATIVE_TYPES;
    Map<String, String> displayNames = Map.of();
    if (!Multipart.isMultipart(contentType)) {
      return new Payload.Pprof(body, null, labels, null, cumulative, displayNames, from, until);
    }
    Map<String, byte[]> parts = Multipart.parse(nonNull(contentType), body);
    byte[] profile = parts.get("profile");
    if (profile == null) {
      throw IngestException.invalid("multipart", "pprof multipart upload has no 'profile' part");
    }
    byte[] config = parts.get("sample_type_config");
    if (config != null && config.length > 0) {
      SampleTypeConfig c = SampleTypeConfig.parse(config);
      cumulative = c.cumulative();
      displayNames = c.displayNames();
    }
    return new Payload.Pprof(
        profile, parts.get("prev_profile"), labels, null, cumulative, displayNames, from, until);
  }

  private static String nonNull(@Nullable String contentType) {
    return contentType == null ? "" : contentType;
  }

  /** Unix nanoseconds of {@code from}/{@code until}, or 0 when absent or {@code now}. */
  static long epochNanos(@Nullable String value, String name) {
    if (value == null || value.isBlank() || value.strip().equals("now")) {
      return 0;
    }
    long v;
    try {
      v = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw IngestException.invalid(
          "invalid_parameter",
          "'" + name + "' must be an epoch number (seconds, ms, µs or ns) or now");
    }
    if (v <= 0) {
      return 0;
    }
    return EpochNumbers.toNanos(v);
  }

  private static long nonNegativeLong(@Nullable String value, String name) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long v = Long.parseLong(value.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw IngestException.invalid(
          "invalid_parameter", "'" + name + "' must be a non-negative integer");
    }
  }
}
