/**
 * The storage SPI over ClickHouse, through clickhouse-java's client-v2 on the HTTP interface:
 * versioned schema, RowBinary inserts, dictionary dedup with a Caffeine cache, rollups and
 * retention. The same code serves the embedded engine and an external server or cluster.
 */
@NullMarked
package dev.hearth.storage.clickhouse;

import org.jspecify.annotations.NullMarked;
