package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Profile;
import dev.hearth.model.Sample;
import dev.hearth.model.Stack;
import dev.hearth.storage.ProfileWriter;
import dev.hearth.storage.WriteBatch;
import dev.hearth.storage.WriteResult;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Writes batches with client-v2's RowBinary inserts: dictionary tables first (only entries the
 * cache does not know for the tenant and day), then samples, so a stored sample never points at a
 * missing stack. Keys enter the cache only after their insert succeeded.
 */
final class ClickHouseProfileWriter implements ProfileWriter {
  private static final List<String> FUNCTION_COLUMNS =
      List.of("tenant", "day", "function_id", "name", "system_name", "filename", "start_line");
  private static final List<String> MAPPING_COLUMNS =
      List.of("tenant", "day", "mapping_id", "filename", "build_id", "build_id_kind");
  private static final List<String> LOCATION_COLUMNS =
      List.of(
          "tenant",
          "day",
          "location_id",
          "mapping_id",
          "address",
          "function_ids",
          "lines",
          "columns",
          "frame_type");
  private static final List<String> STACK_COLUMNS =
      List.of("tenant", "day", "stack_id", "location_ids", "function_ids");
  private static final List<String> SERIES_COLUMNS =
      List.of("tenant", "day", "profile_type", "series_id", "labels");
  private static final List<String> SAMPLE_COLUMNS =
      List.of("ts", "tenant", "profile_type", "series_id", "stack_id", "value", "count");

  /** Series with samples since a time; the per-minute rollup is the smallest table that knows. */
  private static final String ACTIVE_SERIES =
      """
      SELECT DISTINCT series_id FROM series_minutes
      WHERE tenant = {tenant:String} AND minute >= toStartOfMinute(fromUnixTimestamp64Milli({since:Int64}, 'UTC'))
      LIMIT {limit:UInt32}""";

  private final ClickHouseConnection connection;

  /**
   * Stacks and series known to be written. A known stack gates all its frames, so this set is kept
   * apart from {@link #knownFrames}: millions of location keys must not push out the few stacks
   * that make them unnecessary to look at.
   */
  private final KnownKeys knownStacks;

  /** Locations, functions and mappings known to be written, consulted only for new stacks. */
  private final KnownKeys knownFrames;

  /** A dictionary entry: kind is F, M, L, S or R (series). */
  record DictionaryKey(String tenant, int day, char kind, long id) {
    /**
     * The key folded into 64 bits for the caches. A collision would skip one dictionary row; at the
     * cache sizes used the odds are below 1 in 10^6 over the life of a server.
     */
    long packed() {
      return pack(tenant.hashCode(), day, kind, id);
    }

    static long pack(int tenantHash, int day, char kind, long id) {
      long h = id * 0x9E3779B97F4A7C15L;
      h ^= (((long) day << 8) | kind) * 0xC2B2AE3D27D4EB4FL;
      h ^= tenantHash * 0x165667B19E3779F9L;
      return h ^ (h >>> 29);
    }

    boolean gatesOthers() {
      return kind == 'S' || kind == 'R';
    }
  }

  ClickHouseProfileWriter(ClickHouseConnection connection) {
    this.connection = connection;
    long size = connection.settings().dictionaryCacheSize();
    this.knownStacks = new KnownKeys(Math.max(1, size / 4));
    this.knownFrames = new KnownKeys(size);
  }

  private boolean isKnown(DictionaryKey key) {
    return (key.gatesOthers() ? knownStacks : knownFrames).contains(key.packed());
  }

  @Override
  public Mono<WriteResult> write(WriteBatch batch) {
    return Mono.defer(
        () -> {
          Rows rows = new Rows(batch.tenant());
          for (Profile profile : batch.profiles()) {
            rows.add(profile);
          }
          return rows.insert();
        });
  }

  @Override
  public Mono<Set<Long>> activeSeries(String tenant, long sinceNanos, int limit) {
    Map<String, Object> params =
        Map.of(
            "tenant", tenant,
            "since", Math.floorDiv(sinceNanos, 1_000_000L),
            "limit", Math.max(0, limit));
    return connection
        .query("read active series", ACTIVE_SERIES, params)
        .map(
            rows -> {
              Set<Long> ids = new HashSet<>(rows.size() * 2);
              for (GenericRecord r : rows) {
                ids.add(r.getLong("series_id"));
              }
              return ids;
            });
  }

  private static int epochDay(long epochMillis) {
    return (int) Math.floorDiv(epochMillis, 86_400_000L);
  }

  /** The rows of one batch, dictionary entries filtered through the cache. */
  private final class Rows {
    private final String tenant;
    private final Map<DictionaryKey, Function> functions = new LinkedHashMap<>();
    private final Map<DictionaryKey, Mapping> mappings = new LinkedHashMap<>();
    private final Map<DictionaryKey, Location> locations = new LinkedHashMap<>();
    private final Map<DictionaryKey, Stack> stacks = new LinkedHashMap<>();
    private final Map<DictionaryKey, Profile> series = new LinkedHashMap<>();
    private final Map<SampleGroup.Key, SampleGroup> samples = new LinkedHashMap<>();
    private final int tenantHash;
    private int sampleRows;

    Rows(String tenant) {
      this.tenant = tenant;
      this.tenantHash = tenant.hashCode();
    }

    private DictionaryKey key(int day, char kind, long id) {
      return new DictionaryKey(tenant, day, kind, id);
    }

    void add(Profile profile) {
      String type = profile.type().id();
      long seriesId = profile.seriesId();
      long profileMillis = Math.floorDiv(profile.timeNanos(), 1_000_000L);
      int seriesDay = Integer.MIN_VALUE;
      SampleGroup group = null;
      for (Sample s : profile.samples()) {
        long tsMillis =
            s.timestampNanos() != 0
                ? Math.floorDiv(s.timestampNanos(), 1_000_000_000L) * 1000
                : profileMillis;
        int day = epochDay(tsMillis);
        if (day != seriesDay) {
          // Samples of a profile share its day but for the rare profile crossing midnight.
          seriesDay = day;
          DictionaryKey seriesKey = key(day, 'R', seriesId);
          if (!series.containsKey(seriesKey) && !isKnown(seriesKey)) {
            series.put(seriesKey, profile);
          }
        }
        Stack stack = s.stack();
        if (!knownStacks.contains(DictionaryKey.pack(tenantHash, day, 'S', stack.id()))) {
          addStack(day, stack);
        }
        if (group == null || group.key.tsMillis() != tsMillis) {
          group =
              samples.computeIfAbsent(
                  new SampleGroup.Key(tsMillis, type, seriesId),
                  // A profile without sample timestamps is one group: size it for the profile.
                  k -> new SampleGroup(k, s.timestampNanos() == 0 ? profile.samples().size() : 64));
        }
        if (group.add(stack.id(), s.value(), s.count())) {
          sampleRows++;
        }
      }
    }

    private void addStack(int day, Stack stack) {
      DictionaryKey k = key(day, 'S', stack.id());
      if (stacks.containsKey(k)) {
        return;
      }
      stacks.put(k, stack);
      for (Location location : stack.locations()) {
        DictionaryKey lk = key(day, 'L', location.id());
        if (locations.containsKey(lk) || isKnown(lk)) {
          continue;
        }
        locations.put(lk, location);
        Mapping mapping = location.mapping();
        if (mapping != null) {
          DictionaryKey mk = key(day, 'M', mapping.id());
          if (!isKnown(mk)) {
            mappings.putIfAbsent(mk, mapping);
          }
        }
        for (Line line : location.lines()) {
          DictionaryKey fk = key(day, 'F', line.function().id());
          if (!isKnown(fk)) {
            functions.putIfAbsent(fk, line.function());
          }
        }
      }
    }

    Mono<WriteResult> insert() {
      // Dictionary tables are independent of each other: insert them concurrently, then the
      // samples that point at them.
      Mono<Void> dictionaries =
          Mono.when(
              insertFunctions(),
              insertMappings(),
              insertLocations(),
              insertStacks(),
              insertSeries());
      return dictionaries
          .then(insertSamples())
          .then(
              Mono.fromSupplier(
                  () -> {
                    remember(functions);
                    remember(mappings);
                    remember(locations);
                    remember(stacks);
                    remember(series);
                    return new WriteResult(
                        sampleRows,
                        stacks.size(),
                        locations.size(),
                        functions.size(),
                        series.size());
                  }));
    }

    private void remember(Map<DictionaryKey, ?> written) {
      for (DictionaryKey k : written.keySet()) {
        (k.gatesOthers() ? knownStacks : knownFrames).add(k.packed());
      }
    }

    private Mono<Void> insertFunctions() {
      if (functions.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "functions",
          FUNCTION_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (Map.Entry<DictionaryKey, Function> e : functions.entrySet()) {
              Function f = e.getValue();
              w.string(tenant).date(e.getKey().day()).int64(f.id()).string(f.name());
              w.string(f.systemName()).string(f.filename()).int64(f.startLine());
            }
            w.flush();
          });
    }

    private Mono<Void> insertMappings() {
      if (mappings.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "mappings",
          MAPPING_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (Map.Entry<DictionaryKey, Mapping> e : mappings.entrySet()) {
              Mapping m = e.getValue();
              w.string(tenant).date(e.getKey().day()).int64(m.id());
              w.string(m.filename()).string(m.buildId()).string(m.buildIdKind());
            }
            w.flush();
          });
    }

    private Mono<Void> insertLocations() {
      if (locations.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "locations",
          LOCATION_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (Map.Entry<DictionaryKey, Location> e : locations.entrySet()) {
              Location l = e.getValue();
              int n = l.lines().size();
              long[] functionIds = new long[n];
              long[] lines = new long[n];
              long[] columns = new long[n];
              for (int i = 0; i < n; i++) {
                Line line = l.lines().get(i);
                functionIds[i] = line.function().id();
                lines[i] = line.line();
                columns[i] = line.column();
              }
              Mapping m = l.mapping();
              w.string(tenant).date(e.getKey().day()).int64(l.id()).int64(m == null ? 0 : m.id());
              w.int64(l.address()).int64Array(functionIds).int64Array(lines).int64Array(columns);
              w.string(l.frameType());
            }
            w.flush();
          });
    }

    private Mono<Void> insertStacks() {
      if (stacks.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "stacks",
          STACK_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (Map.Entry<DictionaryKey, Stack> e : stacks.entrySet()) {
              Stack s = e.getValue();
              long[] locationIds = new long[s.depth()];
              for (int i = 0; i < locationIds.length; i++) {
                locationIds[i] = s.locations().get(i).id();
              }
              List<Function> fns = s.functionsLeafFirst();
              long[] functionIds = new long[fns.size()];
              for (int i = 0; i < functionIds.length; i++) {
                functionIds[i] = fns.get(i).id();
              }
              w.string(tenant).date(e.getKey().day()).int64(s.id());
              w.int64Array(locationIds).int64Array(functionIds);
            }
            w.flush();
          });
    }

    private Mono<Void> insertSeries() {
      if (series.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "series",
          SERIES_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (Map.Entry<DictionaryKey, Profile> e : series.entrySet()) {
              Profile p = e.getValue();
              w.string(tenant).date(e.getKey().day()).string(p.type().id()).int64(e.getKey().id());
              w.stringMap(p.labels().asMap());
            }
            w.flush();
          });
    }

    private Mono<Void> insertSamples() {
      if (samples.isEmpty()) {
        return Mono.empty();
      }
      return connection.insertRowBinary(
          "samples",
          SAMPLE_COLUMNS,
          out -> {
            RowBinary w = new RowBinary(out);
            for (SampleGroup g : samples.values()) {
              SampleGroup.Key k = g.key;
              for (int i = 0; i < g.size(); i++) {
                w.int64(k.tsMillis()).string(tenant).string(k.type()).int64(k.seriesId());
                w.int64(g.stackId(i)).int64(g.value(i)).uint32(Math.min(g.count(i), 0xFFFF_FFFFL));
              }
            }
            w.flush();
          });
    }
  }
}
