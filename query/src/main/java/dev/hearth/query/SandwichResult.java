package dev.hearth.query;

import dev.hearth.query.flamegraph.Flamegraph;
import dev.hearth.query.json.JsonWritable;
import dev.hearth.query.json.JsonWriter;

/**
 * One function's callers and callees, each as a flamegraph whose level 1 is the function.
 *
 * @param function the function name
 * @param callers inverted: below the function, its callers, then theirs
 * @param callees below the function, what it calls
 */
public record SandwichResult(String function, Flamegraph callers, Flamegraph callees)
    implements JsonWritable {
  @Override
  public void writeJson(JsonWriter w) {
    w.beginObject().field("function", function).name("callers");
    callers.writeJson(w);
    w.name("callees");
    callees.writeJson(w);
    w.endObject();
  }
}
