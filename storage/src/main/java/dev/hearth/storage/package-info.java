/**
 * The storage SPI: what ingest writes through and query reads through. Plain Java and Reactor, no
 * framework; {@code dev.hearth.storage.clickhouse} implements it over ClickHouse.
 */
@NullMarked
package dev.hearth.storage;

import org.jspecify.annotations.NullMarked;
