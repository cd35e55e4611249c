package dev.hearth.storage.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites single-node migration statements for a cluster, so every migration, present or future,
 * is written once for one node. Each {@code CREATE TABLE <t> (…) ENGINE = <X>MergeTree…} becomes a
 * local table {@code <t>_local} on every node ({@code Replicated<X>MergeTree} with Keeper) and a
 * {@code Distributed} table {@code <t>} over it, so the statements that read and write {@code <t>}
 * stay as they are.
 *
 * <p>The sharding key is the first sort-key column whose name ends in {@code _id}: {@code
 * series_id} for samples, rollups and series (one series' rows on one shard, so a series filter
 * runs on each shard locally), the dictionary's own id for dictionaries (each id's rows on one
 * shard, so {@code ReplacingMergeTree} folds its duplicates). Without such a column it is the whole
 * sort key. Materialized views read and write the local tables; {@code ALTER TABLE} applies to the
 * local table, and column changes to the {@code Distributed} one too.
 */
final class ClusterSchema {
  static final String LOCAL_SUFFIX = "_local";

  private static final Pattern CREATE_TABLE =
      Pattern.compile(
          "(?is)^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
  private static final Pattern ENGINE =
      Pattern.compile("(?is)^\\s*ENGINE\\s*=\\s*([A-Za-z]*MergeTree)\\b");
  private static final Pattern ORDER_BY = Pattern.compile("(?is)\\bORDER\\s+BY\\s+");
  private static final Pattern CREATE_VIEW =
      Pattern.compile(
          "(?is)^CREATE\\s+MATERIALIZED\\s+VIEW\\s+(IF\\s+NOT\\s+EXISTS\\s+)?"
              + "([A-Za-z_][A-Za-z0-9_]*)\\s+(TO\\s+.*)$");
  private static final Pattern TABLE_REFERENCE =
      Pattern.compile("(?i)\\b(FROM|JOIN|TO)(\\s+)([A-Za-z_][A-Za-z0-9_]*)\\b");
  private static final Pattern ALTER =
      Pattern.compile("(?is)^ALTER\\s+TABLE\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+(.*)$");
  private static final Pattern COLUMN_CHANGE =
      Pattern.compile("(?i)\\b(ADD|DROP|MODIFY|RENAME|COMMENT)\\s+COLUMN\\b");
  private static final Pattern DROP_TABLE =
      Pattern.compile("(?is)^DROP\\s+(TABLE|VIEW)\\s+(IF\\s+EXISTS\\s+)?([A-Za-z_][A-Za-z0-9_]*)$");

  private final String cluster;
  private final String database;
  private final boolean replicated;
  private final Set<String> tables;

  /**
   * @param cluster the cluster's name in {@code remote_servers}
   * @param database the database of Hearth's tables
   * @param replicated whether local tables are {@code Replicated*} and DDL runs {@code ON CLUSTER}
   *     (needs Keeper); otherwise the caller runs each statement on every node
   * @param tables the names every migration creates with {@code CREATE TABLE}, which view and
   *     {@code ALTER} statements refer to
   */
  ClusterSchema(String cluster, String database, boolean replicated, Set<String> tables) {
    this.cluster = cluster;
    this.database = database;
    this.replicated = replicated;
    this.tables = Set.copyOf(tables);
  }

  /** The names a migration creates with {@code CREATE TABLE}. */
  static List<String> createdTables(List<String> statements) {
    List<String> out = new ArrayList<>();
    for (String statement : statements) {
      Matcher m = CREATE_TABLE.matcher(statement.strip());
      if (m.find()) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  static String local(String table) {
    return table + LOCAL_SUFFIX;
  }

  /** Whether statements carry {@code ON CLUSTER} and so run once. */
  boolean onCluster() {
    return replicated;
  }

  /**
   * The statements that do on the cluster what {@code statement} does on one node.
   *
   * @throws IllegalStateException for a statement this cannot distribute, naming it
   */
  List<String> rewrite(String statement) {
    String s = statement.strip();
    Matcher table = CREATE_TABLE.matcher(s);
    if (table.find()) {
      return createTable(s, table);
    }
    Matcher view = CREATE_VIEW.matcher(s);
    if (view.matches()) {
      return List.of(
          "CREATE MATERIALIZED VIEW "
              + nullToEmpty(view.group(1))
              + view.group(2)
              + onClusterClause()
              + " "
              + localReferences(view.group(3)));
    }
    Matcher alter = ALTER.matcher(s);
    if (alter.matches() && tables.contains(alter.group(1))) {
      String name = alter.group(1);
      String rest = alter.group(2);
      List<String> out = new ArrayList<>();
      out.add("ALTER TABLE " + local(name) + onClusterClause() + " " + rest);
      if (COLUMN_CHANGE.matcher(rest).find()) {
        out.add("ALTER TABLE " + name + onClusterClause() + " " + rest);
      }
      return out;
    }
    Matcher drop = DROP_TABLE.matcher(s);
    if (drop.matches()) {
      String kind = drop.group(1).toUpperCase(Locale.ROOT);
      String ifExists = nullToEmpty(drop.group(2));
      String name = drop.group(3);
      if (tables.contains(name)) {
        return List.of(
            "DROP TABLE " + ifExists + name + onClusterClause(),
            "DROP TABLE " + ifExists + local(name) + onClusterClause());
      }
      return List.of("DROP " + kind + " " + ifExists + name + onClusterClause());
    }
    throw new IllegalStateException(
        "cannot run this migration statement on a cluster (Hearth distributes CREATE TABLE …"
            + " *MergeTree, CREATE MATERIALIZED VIEW … TO, ALTER TABLE and DROP): "
            + firstLine(s));
  }

  private List<String> createTable(String s, Matcher table) {
    String name = table.group(2);
    int columnsOpen = table.end() - 1;
    int columnsClose = closing(s, columnsOpen);
    String columns = s.substring(columnsOpen, columnsClose + 1);
    String afterColumns = s.substring(columnsClose + 1);
    Matcher engine = ENGINE.matcher(afterColumns);
    if (!engine.find()) {
      throw new IllegalStateException(
          "cannot distribute table " + name + ": only *MergeTree engines can be sharded");
    }
    String engineName = engine.group(1);
    String rest = afterColumns.substring(engine.end());
    String engineArgs = "";
    String trimmed = rest.stripLeading();
    if (trimmed.startsWith("(")) {
      int close = closing(trimmed, 0);
      engineArgs = trimmed.substring(1, close).strip();
      rest = trimmed.substring(close + 1);
    }
    String localEngine;
    if (replicated) {
      String path = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";
      localEngine =
          "Replicated"
              + engineName
              + "("
              + path
              + (engineArgs.isEmpty() ? "" : ", " + engineArgs)
              + ")";
    } else {
      localEngine = engineName + (engineArgs.isEmpty() ? "" : "(" + engineArgs + ")");
    }
    String ifNotExists = nullToEmpty(table.group(1));
    String localTable =
        "CREATE TABLE "
            + ifNotExists
            + local(name)
            + onClusterClause()
            + " "
            + columns
            + " ENGINE = "
            + localEngine
            + rest;
    String distributed =
        "CREATE TABLE "
            + ifNotExists
            + name
            + onClusterClause()
            + " AS "
            + local(name)
            + " ENGINE = Distributed("
            + quote(cluster)
            + ", "
            + quote(database)
            + ", "
            + quote(local(name))
            + ", cityHash64("
            + shardingKey(name, rest)
            + "))";
    return List.of(localTable, distributed);
  }

  /** The first {@code *_id} column of the sort key, else the whole sort key. */
  static String shardingKey(String table, String afterEngine) {
    Matcher m = ORDER_BY.matcher(afterEngine);
    if (!m.find()) {
      throw new IllegalStateException("cannot distribute table " + table + ": it has no ORDER BY");
    }
    String tail = afterEngine.substring(m.end());
    String key;
    if (tail.startsWith("(")) {
      key = tail.substring(1, closing(tail, 0));
    } else {
      key = tail.split("\\s+", 2)[0];
    }
    for (String column : topLevelItems(key)) {
      if (column.matches("[A-Za-z_][A-Za-z0-9_]*_id")) {
        return column;
      }
    }
    return key.strip();
  }

  private String localReferences(String sql) {
    Matcher m = TABLE_REFERENCE.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(3);
      String replacement =
          tables.contains(name) ? m.group(1) + m.group(2) + local(name) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String onClusterClause() {
    return replicated ? " ON CLUSTER " + quote(cluster) : "";
  }

  private static List<String> topLevelItems(String list) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(list.substring(start, i).strip());
        start = i + 1;
      }
    }
    out.add(list.substring(start).strip());
    return out;
  }

  /** The index of the parenthesis that closes the one at {@code open}, skipping quoted text. */
  private static int closing(String s, int open) {
    int depth = 0;
    boolean quoted = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '\'') {
          quoted = false;
        }
      } else if (c == '\'') {
        quoted = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unbalanced parentheses in: " + firstLine(s));
  }

  private static String quote(String identifierOrName) {
    return "'" + identifierOrName.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " …";
  }
}
