/**
 * Call trees and their encoding as the flamegraph wire format ({@code query/FLAMEGRAPH-FORMAT.md}).
 */
@NullMarked
package dev.hearth.query.flamegraph;

import org.jspecify.annotations.NullMarked;
