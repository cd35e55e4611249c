package dev.hearth.query;

import dev.hearth.model.Profile;
import dev.hearth.model.ProfileType;
import dev.hearth.model.codec.Gzip;
import dev.hearth.model.codec.ProfileDecodeException;
import dev.hearth.model.codec.folded.FoldedCodec;
import dev.hearth.model.codec.jfr.JfrDecoder;
import dev.hearth.model.codec.jfr.JfrOptions;
import dev.hearth.model.codec.otlp.OtlpDecoder;
import dev.hearth.model.codec.pprof.PprofDecoder;
import dev.hearth.model.codec.pprof.PprofOptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Decodes an uploaded profile file for {@code render}, without storing anything. */
final class Render {
  static final long MAX_BYTES = 64L << 20;

  /** The formats {@code render} accepts. */
  static final List<String> FORMATS = List.of("pprof", "jfr", "otlp", "otlp-json", "folded");

  private Render() {}

  /**
   * The samples of one profile type in the file.
   *
   * @param format one of {@link #FORMATS}, or blank to sniff
   * @param type which profile type of a multi-type file; null for the first
   */
  static Merged decode(byte[] data, @Nullable String format, @Nullable ProfileType type) {
    String f = format == null || format.isBlank() ? sniff(data) : format.toLowerCase(Locale.ROOT);
    List<Profile> profiles;
    try {
      profiles =
          switch (f) {
            case "pprof" -> PprofDecoder.decode(data, PprofOptions.defaults());
            case "jfr" -> JfrDecoder.decode(data, JfrOptions.defaults());
            case "otlp" -> OtlpDecoder.decode(data, MAX_BYTES);
            case "otlp-json" -> OtlpDecoder.decodeJson(data, MAX_BYTES);
            case "folded" ->
                List.of(
                    FoldedCodec.decode(
                        data, type == null ? ProfileType.CPU_SAMPLES : type, 1, 0, 0));
            default ->
                throw new InvalidQueryException(
                    "format", "unknown format '" + format + "'; use one of " + FORMATS);
          };
    } catch (ProfileDecodeException e) {
      throw new InvalidQueryException("body", "not a valid " + f + " file: " + e.getMessage());
    }
    Set<ProfileType> types = new LinkedHashSet<>();
    for (Profile p : profiles) {
      types.add(p.type());
    }
    if (types.isEmpty()) {
      throw new InvalidQueryException("body", "the " + f + " file holds no profile");
    }
    ProfileType chosen = type == null ? types.iterator().next() : type;
    if (!types.contains(chosen)) {
      throw new InvalidQueryException(
          "profileType", "the file has no " + chosen.id() + " profile; it has " + types);
    }
    List<Profile> ofType = new ArrayList<>();
    for (Profile p : profiles) {
      if (p.type().equals(chosen)) {
        ofType.add(p);
      }
    }
    return Merged.of(chosen, ofType);
  }

  private static String sniff(byte[] data) {
    if (Gzip.isGzip(data)) {
      return "pprof";
    }
    if (data.length >= 4 && data[0] == 'F' && data[1] == 'L' && data[2] == 'R' && data[3] == 0) {
      return "jfr";
    }
    int i = 0;
    while (i < data.length && Character.isWhitespace(data[i])) {
      i++;
    }
    if (i < data.length && data[i] == '{') {
      return "otlp-json";
    }
    // Text (printable ASCII or UTF-8) is folded stacks; anything else, protobuf: pprof.
    for (int j = 0; j < Math.min(data.length, 512); j++) {
      int b = data[j] & 0xff;
      if (b < 0x09 || (b > 0x0d && b < 0x20)) {
        return "pprof";
      }
    }
    return "folded";
  }
}
