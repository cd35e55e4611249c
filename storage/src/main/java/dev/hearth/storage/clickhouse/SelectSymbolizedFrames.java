package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.storage.SymbolStore.StoredFrames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The newest stored frames of some addresses of one build id. */
final class SelectSymbolizedFrames {
  private static final String SQL =
      """
      SELECT address, version, names, system_names, filenames, start_lines, lines, columns
      FROM symbolized_frames
      WHERE tenant = {tenant:String} AND build_id = {buildId:String}
        AND address IN {addresses:Array(UInt64)}
      ORDER BY version DESC
      LIMIT 1 BY address""";

  private final ClickHouseConnection connection;

  SelectSymbolizedFrames(ClickHouseConnection connection) {
    this.connection = connection;
  }

  Mono<Map<Long, StoredFrames>> read(String tenant, String buildId, Collection<Long> addresses) {
    if (addresses.isEmpty()) {
      return Mono.just(Map.of());
    }
    List<Long> all = List.copyOf(addresses);
    List<List<Long>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += SelectStacks.IDS_PER_QUERY) {
      chunks.add(all.subList(i, Math.min(all.size(), i + SelectStacks.IDS_PER_QUERY)));
    }
    return Flux.fromIterable(chunks)
        .concatMap(
            chunk ->
                connection.query(
                    "read symbolized frames",
                    SQL,
                    Map.of("tenant", tenant, "buildId", buildId, "addresses", chunk)))
        .collectList()
        .map(
            parts -> {
              Map<Long, StoredFrames> out = new HashMap<>();
              for (List<GenericRecord> rows : parts) {
                for (GenericRecord r : rows) {
                  StoredFrames f = frames(r);
                  out.put(f.address(), f);
                }
              }
              return out;
            });
  }

  private static StoredFrames frames(GenericRecord r) {
    String[] names = r.getStringArray("names");
    String[] systemNames = r.getStringArray("system_names");
    String[] filenames = r.getStringArray("filenames");
    long[] startLines = r.getLongArray("start_lines");
    long[] lines = r.getLongArray("lines");
    long[] columns = r.getLongArray("columns");
    List<Line> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      out.add(
          new Line(
              Function.of(names[i], systemNames[i], filenames[i], startLines[i]),
              lines[i],
              columns[i]));
    }
    return new StoredFrames(r.getLong("address"), r.getLong("version"), out);
  }
}
