package dev.hearth.query;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A parsed selector: an optional profile type and label matchers, as in {@code
 * process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api", host_name=~"web-.*"}}.
 *
 * @param type the profile type given as prefix, or null
 * @param matchers the matchers, in the order written
 */
public record Selector(@Nullable ProfileType type, List<LabelMatcher> matchers) {
  public Selector {
    matchers = List.copyOf(matchers);
  }

  public static final Selector EMPTY = new Selector(null, List.of());

  /** The type, or a 400 naming {@code parameter} when the selector has none. */
  public ProfileType requireType(String parameter) {
    if (type == null) {
      throw new InvalidQueryException(
          parameter,
          "no profile type: write it before the matchers, e.g."
              + " process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"api\"}");
    }
    return type;
  }

  /** The selector written back in canonical form (cache keys, logs). */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(type == null ? "" : type.id()).append('{');
    for (int i = 0; i < matchers.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(matchers.get(i));
    }
    return sb.append('}').toString();
  }
}
