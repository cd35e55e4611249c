package dev.hearth.storage.clickhouse;

import com.clickhouse.client.api.query.GenericRecord;
import dev.hearth.model.Aggregation;
import dev.hearth.model.Function;
import dev.hearth.model.LabelMatcher;
import dev.hearth.model.LabelSet;
import dev.hearth.model.Location;
import dev.hearth.model.ProfileType;
import dev.hearth.model.Stack;
import dev.hearth.storage.FunctionInfo;
import dev.hearth.storage.FunctionStepValue;
import dev.hearth.storage.ProfileQueries;
import dev.hearth.storage.SeriesSelection;
import dev.hearth.storage.StackFrames;
import dev.hearth.storage.StackValue;
import dev.hearth.storage.StepTotal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link ProfileQueries} over the schema in {@code schema/}. */
final class ClickHouseProfileQueries implements ProfileQueries {
  private final ClickHouseConnection connection;
  private final SelectStacks stacks;

  ClickHouseProfileQueries(ClickHouseConnection connection) {
    this.connection = connection;
    this.stacks = new SelectStacks(connection);
  }

  private Flux<GenericRecord> run(String what, SqlStatement statement) {
    return connection
        .query(what, statement.sql(), statement.params())
        .flatMapMany(Flux::fromIterable);
  }

  /** A merge's sums with the types {@link #MERGED_STACKS_COLUMNS} names, read as RowBinary. */
  private static final String MERGED_STACKS =
      "SELECT toInt64(stack_id) AS stack_id, toInt64(value) AS value, toUInt64(count) AS count"
          + " FROM (%s)";

  private static final List<String> MERGED_STACKS_COLUMNS =
      List.of("stack_id Int64", "value Int64", "count UInt64");

  @Override
  public Flux<StackValue> mergedStacks(SeriesSelection selection) {
    SqlStatement q = SelectMergedStacks.of(selection);
    return connection
        .queryBinary(
            "merge stacks",
            MERGED_STACKS.formatted(q.sql()),
            q.params(),
            in -> {
              in.expect(MERGED_STACKS_COLUMNS);
              List<StackValue> rows = new java.util.ArrayList<>();
              while (!in.atEnd()) {
                rows.add(new StackValue(in.int64(), in.int64(), in.int64()));
              }
              return rows;
            })
        .flatMapIterable(rows -> rows);
  }

  @Override
  public Flux<StepTotal> totals(SeriesSelection selection, long stepNanos, List<String> groupBy) {
    for (String name : groupBy) {
      if (!LabelSet.isValidName(name)) {
        return Flux.error(
            new IllegalArgumentException("invalid group-by label name '" + name + "'"));
      }
    }
    return run("step totals", SelectStepTotals.of(selection, stepNanos, groupBy))
        .map(
            r -> {
              Map<String, String> group = new LinkedHashMap<>();
              for (int i = 0; i < groupBy.size(); i++) {
                group.put(groupBy.get(i), r.getString("g" + i));
              }
              return new StepTotal(
                  LabelSet.of(group),
                  r.getLong("step") * 1_000_000L,
                  r.getLong("total_value"),
                  r.getLong("total_count"),
                  r.getLong("total_profiles"));
            });
  }

  @Override
  public Flux<ProfileType> profileTypes(String tenant, long fromNanos, long untilNanos) {
    return run("profile types", SelectLabels.profileTypes(tenant, fromNanos, untilNanos))
        .map(r -> ProfileType.parse(r.getString("profile_type")));
  }

  @Override
  public Flux<String> labelNames(
      String tenant, @Nullable ProfileType type, long fromNanos, long untilNanos) {
    return run("label names", SelectLabels.labelNames(tenant, type, fromNanos, untilNanos))
        .map(r -> r.getString("name"));
  }

  @Override
  public Flux<String> labelValues(
      String tenant,
      String name,
      @Nullable ProfileType type,
      List<LabelMatcher> matchers,
      long fromNanos,
      long untilNanos) {
    return run(
            "label values",
            SelectLabels.labelValues(tenant, name, type, matchers, fromNanos, untilNanos))
        .map(r -> r.getString("value"));
  }

  @Override
  public Mono<Map<Long, Stack>> stacks(String tenant, Collection<Long> stackIds) {
    return stacks.load(tenant, stackIds);
  }

  /**
   * Read as RowBinary straight into the rows' arrays (a fleet merge is 50,000 rows of two id
   * arrays, which as client records cost more than the query).
   */
  @Override
  public Flux<StackFrames> mergedFrames(SeriesSelection selection, long limit) {
    SqlStatement q = SelectMergedFrames.of(selection, limit);
    return connection
        .queryBinary(
            "merge frames",
            q.sql(),
            q.params(),
            in -> {
              in.expect(SelectMergedFrames.COLUMNS);
              List<StackFrames> rows = new java.util.ArrayList<>();
              while (!in.atEnd()) {
                rows.add(
                    new StackFrames(
                        in.int64(),
                        in.int64(),
                        in.int64(),
                        in.int64Array(),
                        in.int64Array(),
                        in.uint8() != 0));
              }
              return rows;
            })
        .flatMapIterable(rows -> rows);
  }

  @Override
  public Mono<Map<Long, FunctionInfo>> functions(
      String tenant, Collection<Long> functionIds, long fromNanos, long untilNanos) {
    if (functionIds.size() <= SelectStacks.IDS_PER_QUERY) {
      return functionChunks(tenant, functionIds, fromNanos, untilNanos);
    }
    Set<Long> wanted = Set.copyOf(functionIds);
    return run("count functions", SelectFunctions.count(tenant, fromNanos, untilNanos))
        .next()
        .flatMap(
            r ->
                r.getLong("n") <= 3L * wanted.size()
                    ? functionRows(
                        SelectFunctions.inRange(tenant, fromNanos, untilNanos), wanted::contains)
                    : functionChunks(tenant, functionIds, fromNanos, untilNanos));
  }

  private Mono<Map<Long, FunctionInfo>> functionChunks(
      String tenant, Collection<Long> functionIds, long fromNanos, long untilNanos) {
    return SelectStacks.chunked(
        functionIds,
        chunk ->
            functionRows(SelectFunctions.of(tenant, chunk, fromNanos, untilNanos), id -> true));
  }

  /** The names-table rows of {@code q} whose id {@code keep} accepts, read as RowBinary. */
  private Mono<Map<Long, FunctionInfo>> functionRows(
      SqlStatement q, java.util.function.LongPredicate keep) {
    return connection.queryBinary(
        "read functions",
        q.sql(),
        q.params(),
        in -> {
          in.expect(SelectFunctions.COLUMNS);
          Map<Long, FunctionInfo> out = new java.util.HashMap<>();
          while (!in.atEnd()) {
            long id = in.int64();
            String name = in.string();
            String systemName = in.string();
            String filename = in.string();
            long startLine = in.int64();
            String frameType = in.string();
            if (keep.test(id)) {
              out.put(
                  id,
                  new FunctionInfo(Function.of(name, systemName, filename, startLine), frameType));
            }
          }
          return out;
        });
  }

  @Override
  public Mono<Map<Long, Location>> locations(String tenant, Collection<Long> locationIds) {
    return stacks.loadLocations(tenant, locationIds);
  }

  @Override
  public Mono<Map<Long, Location>> oneLineLocations(
      String tenant, Collection<Long> functionIds, long fromNanos, long untilNanos) {
    return SelectStacks.chunked(
        functionIds,
        chunk ->
            stacks.loadOneLineLocations(
                tenant,
                chunk,
                Math.floorDiv(fromNanos, 1_000_000L),
                Math.floorDiv(untilNanos, 1_000_000L)));
  }

  @Override
  public Flux<FunctionStepValue> functionSteps(
      SeriesSelection selection, long stepNanos, Collection<Long> functionIds) {
    if (selection.type().aggregation() == Aggregation.AVERAGE) {
      return ProfileQueries.super.functionSteps(selection, stepNanos, functionIds);
    }
    if (stepNanos < 1_000_000_000L || stepNanos % 1_000_000L != 0) {
      return Flux.error(
          new IllegalArgumentException("step must be whole milliseconds, at least one second"));
    }
    if (functionIds.isEmpty()) {
      return Flux.empty();
    }
    return run(
            "function steps",
            SelectFunctionSteps.of(selection, stepNanos, List.copyOf(Set.copyOf(functionIds))))
        .map(
            r ->
                new FunctionStepValue(
                    r.getLong("function_id"), r.getLong("step") * 1_000_000L, r.getLong("value")));
  }
}
