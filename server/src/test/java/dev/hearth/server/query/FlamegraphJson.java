package dev.hearth.server.query;

import dev.hearth.query.testing.FlamegraphPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reads the flamegraph JSON of {@code /api/v1/flamegraph} (single or diff) back into paths. */
public final class FlamegraphJson {
  private FlamegraphJson() {}

  /** Each root-first path of {@code fg} with its totals and self values. */
  public static Map<String, List<Long>> paths(JsonNode fg) {
    List<String> names = new ArrayList<>();
    fg.get("names").forEach(n -> names.add(n.asString()));
    List<long[]> levels = new ArrayList<>();
    for (JsonNode level : fg.get("levels")) {
      long[] ints = new long[level.size()];
      for (int i = 0; i < ints.length; i++) {
        ints[i] = level.get(i).asLong();
      }
      levels.add(ints);
    }
    int stride = fg.get("kind").asString().equals("diff") ? 7 : 4;
    return FlamegraphPaths.totalsAndSelf(FlamegraphPaths.decode(names, levels, stride));
  }
}
