package dev.hearth.query;

import dev.hearth.model.ProfileType;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;
import java.util.List;

/**
 * Functions by self or total value.
 *
 * @param type the profile type
 * @param total the merge's total value
 * @param functions the functions, in the requested order, at most the limit
 */
public record TopResult(ProfileType type, long total, List<FunctionValue> functions)
    implements JsonWritable {

  /**
   * @param name the function name
   * @param self value of stacks whose leaf is the function
   * @param total value of stacks containing the function (once per stack)
   */
  public record FunctionValue(String name, long self, long total) {}

  @Override
  public void writeJson(JsonWriter w) {
    w.beginObject()
        .field("profileType", type.id())
        .field("unit", type.sampleUnit())
        .field("total", total);
    w.name("functions").beginArray();
    for (FunctionValue f : functions) {
      w.beginObject()
          .field("name", f.name())
          .field("self", f.self())
          .field("total", f.total())
          .endObject();
    }
    w.endArray().endObject();
  }
}
