package dev.hearth.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The labels that name a series, sorted by name. Names are any non-empty text without control
 * characters, as Prometheus 3 and Pyroscope 2 accept them ({@code otel.scope.name} stays as it is);
 * OTLP attribute keys are mapped to Prometheus-style names by {@link #sanitizeName} where they
 * become series labels. An empty value means the label is absent and is dropped, as in Prometheus.
 * Limits on count and length are ingest's business, not the model's.
 */
public final class LabelSet {
  public static final LabelSet EMPTY = new LabelSet(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;

  private LabelSet(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * Builds a label set from a map.
   *
   * @throws IllegalArgumentException naming the first invalid label name
   */
  public static LabelSet of(Map<String, String> labels) {
    TreeMap<String, String> sorted = new TreeMap<>();
    labels.forEach(
        (name, value) -> {
          checkName(name);
          if (!value.isEmpty()) {
            sorted.put(name, value);
          }
        });
    String[] n = sorted.keySet().toArray(String[]::new);
    String[] v = sorted.values().toArray(String[]::new);
    return new LabelSet(n, v);
  }

  /** Builds a label set from alternating names and values. */
  public static LabelSet of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("labels must come as name, value pairs");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (map.put(namesAndValues[i], namesAndValues[i + 1]) != null) {
        throw new IllegalArgumentException("label '" + namesAndValues[i] + "' given twice");
      }
    }
    return of(map);
  }

  /**
   * Whether {@code name} is a valid label name: not empty, well-formed UTF-16 (no lone surrogate)
   * and free of control characters. Dots, dashes, slashes and any other printable character are
   * allowed, as in Prometheus 3's UTF-8 names; selectors quote names that are not {@link
   * #isLegacyName legacy} ones.
   */
  public static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code name} is a Prometheus legacy name, {@code [a-zA-Z_][a-zA-Z0-9_]*}, which a
   * selector may write without quotes.
   */
  public static boolean isLegacyName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "invalid label name '"
              + printable(name)
              + "': names are not empty and hold no control characters");
    }
  }

  /** {@code name} with control characters escaped, for messages. */
  public static String printable(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Turns an attribute key into a label name the way OTLP resource attributes map to series labels:
   * {@code service.name} → {@code service_name}, {@code k8s.pod.uid} → {@code k8s_pod_uid}; any
   * other character outside the name alphabet becomes {@code _}, and a leading digit gets a {@code
   * _} prefix.
   */
  public static String sanitizeName(String key) {
    StringBuilder sb = new StringBuilder(key.length() + 1);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    if (sb.isEmpty() || (sb.charAt(0) >= '0' && sb.charAt(0) <= '9')) {
      sb.insert(0, '_');
    }
    return sb.toString();
  }

  public @Nullable String get(String name) {
    int i = Arrays.binarySearch(names, name);
    return i < 0 ? null : values[i];
  }

  public int size() {
    return names.length;
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  /** Visits the labels in name order. */
  public void forEach(BiConsumer<String, String> consumer) {
    for (int i = 0; i < names.length; i++) {
      consumer.accept(names[i], values[i]);
    }
  }

  /** The labels as an unmodifiable map in name order. */
  public Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  /** A copy with {@code name} set to {@code value} (or removed when the value is empty). */
  public LabelSet with(String name, String value) {
    Map<String, String> map = new LinkedHashMap<>(asMap());
    map.put(name, value);
    return of(map);
  }

  /** A copy without {@code name}. */
  public LabelSet without(String name) {
    if (get(name) == null) {
      return this;
    }
    Map<String, String> map = new LinkedHashMap<>(asMap());
    map.remove(name);
    return of(map);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof LabelSet l
        && Arrays.equals(l.names, names)
        && Arrays.equals(l.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  /** PromQL style: {@code {host_name="web-1", service_name="api"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (isLegacyName(names[i])) {
        sb.append(names[i]);
      } else {
        quote(sb, names[i]);
      }
      sb.append('=');
      quote(sb, values[i]);
    }
    return sb.append('}').toString();
  }

  private static void quote(StringBuilder sb, String v) {
    sb.append('"');
    for (int j = 0; j < v.length(); j++) {
      char c = v.charAt(j);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }
}
