package dev.hearth.query.flamegraph;

import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import java.util.List;

/**
 * A flamegraph in wire format version 1 ({@code query/FLAMEGRAPH-FORMAT.md}): a names table and one
 * flat integer array per level, 4 integers per node for {@code single}, 7 for {@code diff}.
 *
 * @param kind {@code single} or {@code diff}
 * @param profileType the profile type id
 * @param unit the sample unit all values are in
 * @param names string table; {@code names[0]} is {@code total}
 * @param levels per depth, the nodes' integers
 * @param total the root's total (both sides for a diff)
 * @param maxSelf the largest {@code self} of any node sent
 * @param nodes how many nodes were sent
 * @param truncated whether nodes were folded into {@code other}
 * @param leftTotal diff only: the left side's total value
 * @param rightTotal diff only: the right side's total value
 * @param leftCount diff only: the left side's total sample count
 * @param rightCount diff only: the right side's total sample count
 * @param frameTypes parallel to {@code names}: the frame type of each name ({@code native}, {@code
 *     kernel}, {@code python}, {@code jvm}, ... or empty); empty when not known
 */
public record Flamegraph(
    String kind,
    String profileType,
    String unit,
    List<String> names,
    List<long[]> levels,
    long total,
    long maxSelf,
    int nodes,
    boolean truncated,
    long leftTotal,
    long rightTotal,
    long leftCount,
    long rightCount,
    List<String> frameTypes)
    implements JsonWritable {
  public static final int VERSION = 1;
  public static final String SINGLE = "single";
  public static final String DIFF = "diff";

  /** A flamegraph without frame types. */
  public Flamegraph(
      String kind,
      String profileType,
      String unit,
      List<String> names,
      List<long[]> levels,
      long total,
      long maxSelf,
      int nodes,
      boolean truncated,
      long leftTotal,
      long rightTotal,
      long leftCount,
      long rightCount) {
    this(
        kind,
        profileType,
        unit,
        names,
        levels,
        total,
        maxSelf,
        nodes,
        truncated,
        leftTotal,
        rightTotal,
        leftCount,
        rightCount,
        List.of());
  }

  /**
   * This flamegraph with {@link #frameTypes} filled from {@code byName} (a function name's frame
   * type; names not in it get an empty type).
   */
  public Flamegraph withFrameTypes(java.util.Map<String, String> byName) {
    List<String> types = new java.util.ArrayList<>(names.size());
    for (String n : names) {
      types.add(byName.getOrDefault(n, ""));
    }
    return new Flamegraph(
        kind,
        profileType,
        unit,
        names,
        levels,
        total,
        maxSelf,
        nodes,
        truncated,
        leftTotal,
        rightTotal,
        leftCount,
        rightCount,
        List.copyOf(types));
  }

  public boolean isDiff() {
    return kind.equals(DIFF);
  }

  /** Integers per node in {@link #levels}. */
  public int stride() {
    return isDiff() ? 7 : 4;
  }

  /** Writes the JSON object the spec describes. */
  @Override
  public void writeJson(JsonWriter w) {
    w.beginObject()
        .field("version", VERSION)
        .field("kind", kind)
        .field("profileType", profileType)
        .field("unit", unit);
    w.name("names").beginArray();
    for (String n : names) {
      w.value(n);
    }
    w.endArray();
    if (!frameTypes.isEmpty()) {
      w.name("frameTypes").beginArray();
      for (String t : frameTypes) {
        w.value(t);
      }
      w.endArray();
    }
    w.name("levels").beginArray();
    for (long[] level : levels) {
      w.beginArray();
      for (long v : level) {
        w.value(v);
      }
      w.endArray();
    }
    w.endArray();
    w.field("total", total).field("maxSelf", maxSelf).field("nodes", nodes);
    w.field("truncated", truncated);
    if (isDiff()) {
      w.field("leftTotal", leftTotal)
          .field("rightTotal", rightTotal)
          .field("leftCount", leftCount)
          .field("rightCount", rightCount);
    }
    w.endObject();
  }

  public String toJson() {
    JsonWriter w = new JsonWriter();
    writeJson(w);
    return w.toString();
  }
}
