package dev.hearth.query;

import dev.hearth.model.ProfileType;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import java.util.List;
import java.util.Map;

/**
 * Functions hot in at least two categories, with their shares and how their per-step series
 * correlate.
 *
 * @param stepNanos the step of the series correlated
 * @param categories the categories with their totals over the range
 * @param functions ranked by the sum of their shares
 */
public record CorrelateResult(
    long stepNanos, List<Category> categories, List<CorrelatedFunction> functions)
    implements JsonWritable {

  /**
   * @param name {@code cpu}, {@code offcpu}, {@code alloc} or {@code io}
   * @param type the profile type read for it
   * @param total the category's total value over the range
   */
  public record Category(String name, ProfileType type, long total) {}

  /**
   * @param name the function name
   * @param score sum of its shares
   * @param shares category → share (0..1) of the category's total
   * @param hotIn categories where it is among the top K by share
   * @param correlations its per-step series in one category against another series
   */
  public record CorrelatedFunction(
      String name,
      double score,
      Map<String, Double> shares,
      List<String> hotIn,
      List<Correlation> correlations) {}

  /**
   * Pearson's r of the function's series in {@code category} with {@code with}: the function's
   * series in another category ({@code kind} {@code function}) or a category's total ({@code
   * total}). Left out where a series is constant.
   */
  public record Correlation(String category, String with, String kind, double r) {}

  @Override
  public void writeJson(JsonWriter w) {
    w.beginObject().field("stepMillis", stepNanos / 1_000_000L);
    w.name("categories").beginArray();
    for (Category c : categories) {
      w.beginObject()
          .field("name", c.name())
          .field("profileType", c.type().id())
          .field("unit", c.type().sampleUnit())
          .field("total", c.total())
          .endObject();
    }
    w.endArray().name("functions").beginArray();
    for (CorrelatedFunction f : functions) {
      w.beginObject()
          .field("name", f.name())
          .field("score", f.score())
          .name("shares")
          .beginObject();
      f.shares().forEach(w::field);
      w.endObject().name("hotIn").beginArray();
      f.hotIn().forEach(w::value);
      w.endArray().name("correlations").beginArray();
      for (Correlation c : f.correlations()) {
        w.beginObject()
            .field("category", c.category())
            .field("with", c.with())
            .field("kind", c.kind())
            .field("r", c.r())
            .endObject();
      }
      w.endArray().endObject();
    }
    w.endArray().endObject();
  }
}
