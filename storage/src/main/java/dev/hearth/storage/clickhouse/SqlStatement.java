package dev.hearth.storage.clickhouse;

import java.util.Map;

/**
 * A query the {@code Select*} classes build: SQL with {@code {name:Type}} placeholders and the
 * values bound to them (never spliced into the text).
 */
record SqlStatement(String sql, Map<String, Object> params) {}
