package dev.hearth.query;

import dev.hearth.model.ProfileType;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * Totals over time, per group.
 *
 * @param type the profile type
 * @param stepNanos the step width
 * @param fromNanos start of the (step-aligned) range
 * @param untilNanos end of the (step-aligned) range
 * @param series the groups, largest total first
 * @param omittedGroups groups left out beyond the limit
 */
public record SeriesResult(
    ProfileType type,
    long stepNanos,
    long fromNanos,
    long untilNanos,
    List<Series> series,
    int omittedGroups)
    implements JsonWritable {

  /**
   * One group's points; steps without data are absent.
   *
   * @param labels the group-by labels' values (empty without grouping)
   * @param timestampsMillis start of each step, Unix milliseconds
   * @param values the step's value (sums for deltas, averages for gauges)
   * @param counts the step's summed sample counts
   * @param total sum of {@code values}
   */
  public record Series(
      Map<String, String> labels,
      long[] timestampsMillis,
      long[] values,
      long[] counts,
      long total) {}

  @Override
  public void writeJson(JsonWriter w) {
    w.beginObject()
        .field("profileType", type.id())
        .field("unit", type.sampleUnit())
        .field("stepMillis", stepNanos / 1_000_000L)
        .field("from", fromNanos / 1_000_000L)
        .field("until", untilNanos / 1_000_000L);
    w.name("series").beginArray();
    for (Series s : series) {
      w.beginObject().name("labels").beginObject();
      s.labels().forEach(w::field);
      w.endObject();
      w.name("points").beginArray();
      for (int i = 0; i < s.values().length; i++) {
        w.beginArray()
            .value(s.timestampsMillis()[i])
            .value(s.values()[i])
            .value(s.counts()[i])
            .endArray();
      }
      w.endArray().field("total", s.total()).endObject();
    }
    w.endArray().field("omittedGroups", omittedGroups).endObject();
  }
}
