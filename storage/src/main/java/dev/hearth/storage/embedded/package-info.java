/**
 * The embedded ClickHouse: chDB's {@code libchdb.so} (ClickHouse built as a library) serving
 * ClickHouse's own HTTP interface on a loopback port from a child process.
 *
 * <p>{@link dev.hearth.storage.embedded.EmbeddedClickHouse} is the handle the server holds; {@link
 * dev.hearth.storage.embedded.EmbeddedClickHouseMain} is the child's entry point; {@link
 * dev.hearth.storage.embedded.ChdbLibrary} finds the library or fetches it on first use.
 */
@NullMarked
package dev.hearth.storage.embedded;

import org.jspecify.annotations.NullMarked;
