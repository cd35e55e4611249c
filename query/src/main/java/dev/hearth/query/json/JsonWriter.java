package dev.hearth.query.json;

import java.nio.charset.StandardCharsets;

/**
 * Writes JSON into a buffer, inserting commas itself. Calls must nest correctly; the writer does
 * not check more than it needs to produce valid output from valid call sequences.
 */
public final class JsonWriter {
  private final StringBuilder out = new StringBuilder(256);
  // Per open container: whether the next element is its first.
  private boolean[] first = new boolean[16];
  private int depth;
  private boolean afterName;

  private void element() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (!first[depth - 1]) {
        out.append(',');
      }
      first[depth - 1] = false;
    }
  }

  private void open(char c) {
    element();
    out.append(c);
    if (depth == first.length) {
      first = java.util.Arrays.copyOf(first, depth * 2);
    }
    first[depth++] = true;
  }

  public JsonWriter beginObject() {
    open('{');
    return this;
  }

  public JsonWriter endObject() {
    depth--;
    out.append('}');
    return this;
  }

  public JsonWriter beginArray() {
    open('[');
    return this;
  }

  public JsonWriter endArray() {
    depth--;
    out.append(']');
    return this;
  }

  public JsonWriter name(String name) {
    element();
    string(name);
    out.append(':');
    afterName = true;
    return this;
  }

  public JsonWriter value(String s) {
    element();
    string(s);
    return this;
  }

  public JsonWriter value(long v) {
    element();
    out.append(v);
    return this;
  }

  /** A finite double; NaN and infinities are written as {@code null}. */
  public JsonWriter value(double v) {
    element();
    if (Double.isFinite(v)) {
      out.append(v);
    } else {
      out.append("null");
    }
    return this;
  }

  public JsonWriter value(boolean v) {
    element();
    out.append(v);
    return this;
  }

  public JsonWriter nullValue() {
    element();
    out.append("null");
    return this;
  }

  /** A field with a string value. */
  public JsonWriter field(String name, String v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, long v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, double v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, boolean v) {
    return name(name).value(v);
  }

  /** Appends already-encoded JSON as one value. */
  public JsonWriter raw(String json) {
    element();
    out.append(json);
    return this;
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }

  public byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
