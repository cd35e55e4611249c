/** A small streaming JSON writer for query results, so the wire shapes live next to the core. */
@NullMarked
package dev.hearth.query.json;

import org.jspecify.annotations.NullMarked;
