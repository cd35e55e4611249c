package dev.hearth.storage.clickhouse;

import dev.hearth.model.Line;
import dev.hearth.storage.SymbolStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** {@link SymbolStore} over the {@code symbolized_frames} table. */
final class ClickHouseSymbolStore implements SymbolStore {
  private static final List<String> COLUMNS =
      List.of(
          "tenant",
          "build_id",
          "address",
          "version",
          "names",
          "system_names",
          "filenames",
          "start_lines",
          "lines",
          "columns");

  private final ClickHouseConnection connection;
  private final SelectSymbolizedFrames select;

  ClickHouseSymbolStore(ClickHouseConnection connection) {
    this.connection = connection;
    this.select = new SelectSymbolizedFrames(connection);
  }

  @Override
  public Mono<Map<Long, StoredFrames>> frames(
      String tenant, String buildId, Collection<Long> addresses) {
    return select.read(tenant, buildId, addresses);
  }

  @Override
  public Mono<Void> write(
      String tenant, String buildId, long version, Map<Long, List<Line>> frames) {
    if (frames.isEmpty()) {
      return Mono.empty();
    }
    return connection.insertRowBinary(
        "symbolized_frames",
        COLUMNS,
        out -> {
          RowBinary w = new RowBinary(out);
          for (Map.Entry<Long, List<Line>> e : frames.entrySet()) {
            List<Line> lines = e.getValue();
            int n = lines.size();
            w.string(tenant).string(buildId).int64(e.getKey()).int64(version);
            w.varint(n);
            for (Line l : lines) {
              w.string(l.function().name());
            }
            w.varint(n);
            for (Line l : lines) {
              w.string(l.function().systemName());
            }
            w.varint(n);
            for (Line l : lines) {
              w.string(l.function().filename());
            }
            long[] startLines = new long[n];
            long[] lineNumbers = new long[n];
            long[] columns = new long[n];
            for (int i = 0; i < n; i++) {
              startLines[i] = lines.get(i).function().startLine();
              lineNumbers[i] = lines.get(i).line();
              columns[i] = lines.get(i).column();
            }
            w.int64Array(startLines).int64Array(lineNumbers).int64Array(columns);
          }
          w.flush();
        });
  }
}
