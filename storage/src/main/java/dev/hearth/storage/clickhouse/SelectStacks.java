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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Rebuilds stacks from the dictionary tables: stacks → locations → functions and mappings, one
 * query per table. Because ids are content hashes, the rebuilt model objects carry the same ids
 * they were written with.
 */
final class SelectStacks {
  private static final String STACKS =
      """
      SELECT stack_id, any(location_ids) AS location_ids FROM stacks
      WHERE tenant = {tenant:String} AND stack_id IN {ids:Array(Int64)}
      GROUP BY stack_id""";

  private static final String LOCATIONS =
      """
      SELECT location_id, any(mapping_id) AS mapping_id, any(address) AS address,
             any(function_ids) AS function_ids, any(lines) AS lines, any(columns) AS columns,
             any(frame_type) AS frame_type
      FROM locations
      WHERE tenant = {tenant:String} AND location_id IN {ids:Array(Int64)}
      GROUP BY location_id""";

  private static final String FUNCTIONS =
      """
      SELECT function_id, any(name) AS name, any(system_name) AS system_name,
             any(filename) AS filename, any(start_line) AS start_line
      FROM functions
      WHERE tenant = {tenant:String} AND function_id IN {ids:Array(Int64)}
      GROUP BY function_id""";

  private static final String MAPPINGS =
      """
      SELECT mapping_id, any(filename) AS filename, any(build_id) AS build_id,
             any(build_id_kind) AS build_id_kind
      FROM mappings
      WHERE tenant = {tenant:String} AND mapping_id IN {ids:Array(Int64)}
      GROUP BY mapping_id""";

  private final ClickHouseConnection connection;

  SelectStacks(ClickHouseConnection connection) {
    this.connection = connection;
  }

  /**
   * Ids are sent as a query parameter, which ClickHouse's HTTP interface limits in size ({@code
   * http_max_field_value_size}, 128 KiB by default): large sets go in chunks.
   */
  static final int IDS_PER_QUERY = 4000;

  private Mono<List<GenericRecord>> select(
      String what, String sql, String tenant, Collection<Long> ids) {
    List<Long> all = List.copyOf(ids);
    if (all.size() <= IDS_PER_QUERY) {
      return connection.query(what, sql, Map.of("tenant", tenant, "ids", all));
    }
    List<List<Long>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += IDS_PER_QUERY) {
      chunks.add(all.subList(i, Math.min(all.size(), i + IDS_PER_QUERY)));
    }
    return reactor.core.publisher.Flux.fromIterable(chunks)
        .concatMap(chunk -> connection.query(what, sql, Map.of("tenant", tenant, "ids", chunk)))
        .collectList()
        .map(
            parts -> {
              List<GenericRecord> rows = new ArrayList<>();
              parts.forEach(rows::addAll);
              return rows;
            });
  }

  Mono<Map<Long, Stack>> load(String tenant, Collection<Long> stackIds) {
    if (stackIds.isEmpty()) {
      return Mono.just(Map.of());
    }
    return select("read stacks", STACKS, tenant, Set.copyOf(stackIds))
        .flatMap(
            stackRows -> {
              Map<Long, long[]> stacks = new HashMap<>();
              Set<Long> locationIds = new HashSet<>();
              for (GenericRecord r : stackRows) {
                long[] ids = r.getLongArray("location_ids");
                stacks.put(r.getLong("stack_id"), ids);
                for (long id : ids) {
                  locationIds.add(id);
                }
              }
              return loadLocations(tenant, locationIds)
                  .map(locations -> assemble(stacks, locations));
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

  private Mono<Map<Long, Location>> loadLocations(String tenant, Set<Long> ids) {
    if (ids.isEmpty()) {
      return Mono.just(Map.of());
    }
    return select("read locations", LOCATIONS, tenant, ids)
        .flatMap(
            rows -> {
              Set<Long> functionIds = new HashSet<>();
              Set<Long> mappingIds = new HashSet<>();
              for (GenericRecord r : rows) {
                for (long f : r.getLongArray("function_ids")) {
                  functionIds.add(f);
                }
                if (r.getLong("mapping_id") != 0) {
                  mappingIds.add(r.getLong("mapping_id"));
                }
              }
              Mono<Map<Long, Function>> functions =
                  functionIds.isEmpty()
                      ? Mono.just(Map.of())
                      : select("read functions", FUNCTIONS, tenant, functionIds)
                          .map(SelectStacks::functions);
              Mono<Map<Long, Mapping>> mappings =
                  mappingIds.isEmpty()
                      ? Mono.just(Map.of())
                      : select("read mappings", MAPPINGS, tenant, mappingIds)
                          .map(SelectStacks::mappings);
              return Mono.zip(functions, mappings).map(t -> locations(rows, t.getT1(), t.getT2()));
            });
  }

  private static Map<Long, Function> functions(List<GenericRecord> rows) {
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
