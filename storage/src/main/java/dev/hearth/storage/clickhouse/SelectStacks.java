package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.hearth.model.Function;
import dev.hearth.model.Line;
import dev.hearth.model.Location;
import dev.hearth.model.Mapping;
import dev.hearth.model.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Rebuilds stacks from the dictionary tables: stacks → locations → functions and mappings, one
 * query per table. The subqueries are {@code GLOBAL IN}: on a cluster each dictionary is sharded by
 * its own id, so the ids a shard's stacks name live on other shards. Because ids are content
 * hashes, the rebuilt model objects carry the same ids they were written with.
 */
final class SelectStacks {
  private static final String STACKS =
      """
      SELECT stack_id, any(location_ids) AS location_ids FROM stacks
      WHERE tenant = {tenant:String} AND stack_id IN {ids:Array(Int64)}
      GROUP BY stack_id""";

  /** Location ids of the requested stacks, resolved inside ClickHouse. */
  private static final String STACK_LOCATIONS =
      "SELECT arrayJoin(location_ids) FROM stacks"
          + " WHERE tenant = {tenant:String} AND stack_id IN {ids:Array(Int64)}";

  /** The requested locations' ids themselves, for {@link #loadLocations}. */
  private static final String REQUESTED = "SELECT arrayJoin({ids:Array(Int64)})";

  /** Locations whose ids the query {@code %s} gives. */
  private static final String LOCATIONS =
      """
      SELECT location_id, any(mapping_id) AS mapping_id, any(address) AS address,
             any(function_ids) AS function_ids, any(lines) AS lines, any(columns) AS columns,
             any(frame_type) AS frame_type
      FROM locations
      WHERE tenant = {tenant:String} AND location_id GLOBAL IN (%s)
      GROUP BY location_id""";

  private static final String LOCATIONS_OF_STACKS = LOCATIONS.formatted(STACK_LOCATIONS);

  /** Functions whose ids the query {@code %s} gives. */
  private static final String FUNCTIONS =
      """
      SELECT function_id, any(name) AS name, any(system_name) AS system_name,
             any(filename) AS filename, any(start_line) AS start_line
      FROM functions
      WHERE tenant = {tenant:String} AND function_id GLOBAL IN (%s)
      GROUP BY function_id""";

  private static final String FUNCTIONS_OF_STACKS =
      FUNCTIONS.formatted(
          "SELECT arrayJoin(function_ids) FROM stacks"
              + " WHERE tenant = {tenant:String} AND stack_id IN {ids:Array(Int64)}");

  /** Mappings of the locations the query {@code %s} gives. */
  private static final String MAPPINGS =
      """
      SELECT mapping_id, any(filename) AS filename, any(build_id) AS build_id,
             any(build_id_kind) AS build_id_kind
      FROM mappings
      WHERE tenant = {tenant:String} AND mapping_id GLOBAL IN (
        SELECT mapping_id FROM locations
        WHERE tenant = {tenant:String} AND location_id GLOBAL IN (%s))
      GROUP BY mapping_id""";

  private static final String MAPPINGS_OF_STACKS = MAPPINGS.formatted(STACK_LOCATIONS);

  private static final String LOCATIONS_BY_ID = LOCATIONS.formatted(REQUESTED);

  private static final String FUNCTIONS_OF_LOCATIONS =
      FUNCTIONS.formatted(
          "SELECT arrayJoin(function_ids) FROM locations"
              + " WHERE tenant = {tenant:String} AND location_id IN {ids:Array(Int64)}");

  private static final String MAPPINGS_OF_LOCATIONS = MAPPINGS.formatted(REQUESTED);

  /** Of the range's days, the locations holding one line whose function is one of {@code ids}. */
  private static final String ONE_LINE_FILTER =
      """
      tenant = {tenant:String}
        AND day >= toDate(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
        AND day <= toDate(fromUnixTimestamp64Milli({until:Int64}, 'UTC'))
        AND length(function_ids) = 1 AND function_ids[1] IN {ids:Array(Int64)}""";

  private static final String ONE_LINE_LOCATIONS =
      """
      SELECT location_id, any(mapping_id) AS mapping_id, any(address) AS address,
             any(function_ids) AS function_ids, any(lines) AS lines, any(columns) AS columns,
             any(frame_type) AS frame_type
      FROM (
        SELECT location_id, mapping_id, address, function_ids, lines, columns, frame_type
        FROM locations
        WHERE %s)
      GROUP BY location_id"""
          .formatted(ONE_LINE_FILTER);

  private static final String MAPPINGS_OF_ONE_LINE_LOCATIONS =
      """
      SELECT mapping_id, any(filename) AS filename, any(build_id) AS build_id,
             any(build_id_kind) AS build_id_kind
      FROM mappings
      WHERE tenant = {tenant:String}
        AND mapping_id GLOBAL IN (SELECT mapping_id FROM locations WHERE %s)
      GROUP BY mapping_id"""
          .formatted(ONE_LINE_FILTER);

  private static final String FUNCTIONS_BY_ID = FUNCTIONS.formatted(REQUESTED);

  private final ClickHouseConnection connection;

  SelectStacks(ClickHouseConnection connection) {
    this.connection = connection;
  }

  /**
   * Ids are sent as a query parameter, which ClickHouse's HTTP interface limits in size ({@code
   * http_max_field_value_size}, 128 KiB by default): large sets go in chunks.
   */
  static final int IDS_PER_QUERY = 4000;

  /**
   * Per chunk of stack ids, four queries that each resolve their ids inside ClickHouse (stacks →
   * locations → functions and mappings), so no id list makes a round trip through the client.
   */
  Mono<Map<Long, Stack>> load(String tenant, Collection<Long> stackIds) {
    return chunked(stackIds, chunk -> loadChunk(tenant, chunk));
  }

  /** The locations with these ids, rebuilt with their functions and mappings, in chunks. */
  Mono<Map<Long, Location>> loadLocations(String tenant, Collection<Long> locationIds) {
    return chunked(locationIds, chunk -> loadLocationChunk(tenant, chunk));
  }

  /** {@code load} over chunks of {@link #IDS_PER_QUERY} distinct ids, results merged. */
  static <V> Mono<Map<Long, V>> chunked(
      Collection<Long> ids, java.util.function.Function<List<Long>, Mono<Map<Long, V>>> load) {
    if (ids.isEmpty()) {
      return Mono.just(Map.of());
    }
    List<Long> all = List.copyOf(Set.copyOf(ids));
    List<List<Long>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IDS_PER_QUERY) {
      chunks.add(all.subList(i, Math.min(all.size(), i + IDS_PER_QUERY)));
    }
    return reactor.core.publisher.Flux.fromIterable(chunks)
        .flatMap(load, 2)
        .collectList()
        .map(
            parts -> {
              Map<Long, V> out = new HashMap<>();
              parts.forEach(out::putAll);
              return out;
            });
  }

  private Mono<Map<Long, Location>> loadLocationChunk(String tenant, List<Long> ids) {
    Map<String, Object> params = Map.of("tenant", tenant, "ids", ids);
    return Mono.zip(
            connection.query("read locations", LOCATIONS_BY_ID, params),
            connection.query("read functions", FUNCTIONS_OF_LOCATIONS, params),
            connection.query("read mappings", MAPPINGS_OF_LOCATIONS, params))
        .map(t -> locations(t.getT1(), functions(t.getT2()), mappings(t.getT3())));
  }

  /**
   * The one-line locations of the range's days (milliseconds) whose function is one of {@code
   * functionIds}, with their functions and mappings: one scan of the range's locations per table.
   */
  Mono<Map<Long, Location>> loadOneLineLocations(
      String tenant, List<Long> functionIds, long fromMillis, long untilMillis) {
    Map<String, Object> params =
        Map.of("tenant", tenant, "ids", functionIds, "from", fromMillis, "until", untilMillis);
    return Mono.zip(
            connection.query("read locations", ONE_LINE_LOCATIONS, params),
            connection.query("read functions", FUNCTIONS_BY_ID, params),
            connection.query("read mappings", MAPPINGS_OF_ONE_LINE_LOCATIONS, params))
        .map(t -> locations(t.getT1(), functions(t.getT2()), mappings(t.getT3())));
  }

  private Mono<Map<Long, Stack>> loadChunk(String tenant, List<Long> ids) {
    Map<String, Object> params = Map.of("tenant", tenant, "ids", ids);
    return Mono.zip(
            connection.query("read stacks", STACKS, params),
            connection.query("read locations", LOCATIONS_OF_STACKS, params),
            connection.query("read functions", FUNCTIONS_OF_STACKS, params),
            connection.query("read mappings", MAPPINGS_OF_STACKS, params))
        .map(
            t -> {
              Map<Long, long[]> stacks = new HashMap<>();
              for (GenericRecord r : t.getT1()) {
                stacks.put(r.getLong("stack_id"), r.getLongArray("location_ids"));
              }
              Map<Long, Location> locations =
                  locations(t.getT2(), functions(t.getT3()), mappings(t.getT4()));
              return assemble(stacks, locations);
            });
  }

  private static Map<Long, Stack> assemble(
      Map<Long, long[]> stacks, Map<Long, Location> locations) {
    Map<Long, Stack> out = new HashMap<>();
    stacks.forEach(
        (id, locationIds) -> {
          List<Location> leafFirst = new ArrayList<>(locationIds.length);
          for (long l : locationIds) {
            Location location = locations.get(l);
            if (location == null) {
              return; // dictionary row not (yet) visible: leave the stack out rather than lie
            }
            leafFirst.add(location);
          }
          out.put(id, Stack.of(leafFirst));
        });
    return out;
  }

  static Map<Long, Function> functions(List<GenericRecord> rows) {
    Map<Long, Function> out = new HashMap<>();
    for (GenericRecord r : rows) {
      out.put(
          r.getLong("function_id"),
          Function.of(
              r.getString("name"),
              r.getString("system_name"),
              r.getString("filename"),
              r.getLong("start_line")));
    }
    return out;
  }

  private static Map<Long, Mapping> mappings(List<GenericRecord> rows) {
    Map<Long, Mapping> out = new HashMap<>();
    for (GenericRecord r : rows) {
      out.put(
          r.getLong("mapping_id"),
          Mapping.of(
              r.getString("filename"), r.getString("build_id"), r.getString("build_id_kind")));
    }
    return out;
  }

  private static Map<Long, Location> locations(
      List<GenericRecord> rows, Map<Long, Function> functions, Map<Long, Mapping> mappings) {
    Map<Long, Location> out = new HashMap<>();
    for (GenericRecord r : rows) {
      long[] functionIds = r.getLongArray("function_ids");
      long[] lineNumbers = r.getLongArray("lines");
      long[] columns = r.getLongArray("columns");
      List<Line> lines = new ArrayList<>(functionIds.length);
      boolean complete = true;
      for (int i = 0; i < functionIds.length; i++) {
        Function f = functions.get(functionIds[i]);
        if (f == null) {
          complete = false;
          break;
        }
        lines.add(new Line(f, lineNumbers[i], columns[i]));
      }
      long mappingId = r.getLong("mapping_id");
      Mapping mapping = mappingId == 0 ? null : mappings.get(mappingId);
      if (!complete || (mappingId != 0 && mapping == null)) {
        continue;
      }
      out.put(
          r.getLong("location_id"),
          Location.of(mapping, r.getLong("address"), lines, r.getString("frame_type")));
    }
    return out;
  }
}
