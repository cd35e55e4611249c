package dev.hearth.query.request;

import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A request's raw parameters as strings, under Hearth's REST names ({@code query}, {@code from},
 * {@code maxNodes}, …), and the name each has on the client's wire, so that errors name the field
 * the client sent ({@code label_selector} over Pyroscope's API, {@code max_nodes} over gRPC).
 */
public interface Params {
  /** The value of parameter {@code name}, or null when absent (blank counts as absent). */
  @Nullable String get(String name);

  /** The name the client knows parameter {@code name} by. */
  default String label(String name) {
    return name;
  }

  /** Parameters looked up by {@code values}, under their REST names. */
  static Params of(Function<String, @Nullable String> values) {
    return values::apply;
  }

  /**
   * Parameters from a map of REST name to value, with the client's names for some of them.
   *
   * @param labels REST name → the client's field name; names not in it are shown as they are
   */
  static Params of(Map<String, String> values, Map<String, String> labels) {
    return new Params() {
      @Override
      public @Nullable String get(String name) {
        return values.get(name);
      }

      @Override
      public String label(String name) {
        return labels.getOrDefault(name, name);
      }
    };
  }

  /** Parameters from a message's fields; each under its REST name and the message's field name. */
  static Builder builder() {
    return new Builder();
  }

  /** Collects a message's fields as parameters. */
  final class Builder {
    private final Map<String, String> values = new java.util.HashMap<>();
    private final Map<String, String> labels = new java.util.HashMap<>();

    private Builder() {}

    /** A string field; empty means absent (proto3's default). */
    public Builder add(String name, String field, String value) {
      labels.put(name, field);
      if (!value.isBlank()) {
        values.put(name, value);
      }
      return this;
    }

    /** A number field; 0 means absent (proto3's default). */
    public Builder add(String name, String field, long value) {
      labels.put(name, field);
      if (value != 0) {
        values.put(name, Long.toString(value));
      }
      return this;
    }

    /** A repeated string field, joined with commas ({@code groupBy}). */
    public Builder add(String name, String field, java.util.List<String> value) {
      return add(name, field, String.join(",", value));
    }

    public Params build() {
      return Params.of(Map.copyOf(values), Map.copyOf(labels));
    }
  }
}
