package dev.hearth.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A per-sample label that is not part of the series: {@code pid}, {@code thread.name}, pprof's
 * sample labels such as Go's {@code bytes}. Exactly one of {@code str} and a number is meaningful:
 * a string attribute has a non-null {@code str}; a numeric one has {@code str == null} and may name
 * its {@code unit}.
 *
 * @param key attribute key as the producer wrote it (not sanitised)
 * @param str string value, or null for a numeric attribute
 * @param num numeric value (0 for string attributes)
 * @param unit unit of {@code num} (e.g. {@code bytes}), or empty
 */
public record Attribute(String key, @Nullable String str, long num, String unit)
    implements Comparable<Attribute> {

  public Attribute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(unit, "unit");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("attribute key is empty");
    }
  }

  public static Attribute string(String key, String value) {
    return new Attribute(key, value, 0, "");
  }

  public static Attribute number(String key, long value, String unit) {
    return new Attribute(key, null, value, unit);
  }

  public boolean isNumeric() {
    return str == null;
  }

  @Override
  public int compareTo(Attribute o) {
    int c = key.compareTo(o.key);
    if (c != 0) {
      return c;
    }
    if (str != null && o.str != null) {
      return str.compareTo(o.str);
    }
    if (str != null || o.str != null) {
      return str == null ? -1 : 1;
    }
    c = Long.compare(num, o.num);
    return c != 0 ? c : unit.compareTo(o.unit);
  }

  @Override
  public String toString() {
    return key + "=" + (str != null ? str : num + unit);
  }
}
