package dev.hearth.query.request;

import dev.hearth.model.ProfileType;
import dev.hearth.query.InvalidQueryException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code render}: how to read an uploaded file: its {@code format} ({@code pprof}, {@code jfr},
 * {@code otlp}, {@code otlp-json}, {@code folded}, or blank to sniff), which {@code profileType} of
 * a multi-type file (null: the first), and {@code maxNodes}.
 */
public record RenderQuery(String format, @Nullable ProfileType profileType, int maxNodes) {
  private static final Set<String> FORMATS =
      Set.of("", "pprof", "jfr", "otlp", "otlp-json", "folded");

  public static RenderQuery parse(Params p, ParseContext c) {
    String format = p.get("format");
    format = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new InvalidQueryException(
          p.label("format"),
          "'" + format + "' is not one of pprof, jfr, otlp, otlp-json, folded (or blank to sniff)");
    }
    ProfileType type = null;
    String given = p.get("profileType");
    if (given != null && !given.isBlank()) {
      type = Parsing.selector(p, "profileType").type();
      if (type == null) {
        throw new InvalidQueryException(p.label("profileType"), "is not a profile type id");
      }
    }
    return new RenderQuery(format, type, Parsing.maxNodes(p, c));
  }
}
