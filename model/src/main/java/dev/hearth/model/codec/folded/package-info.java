/**
 * Folded stacks ({@code root;caller;leaf 42} per line), as {@code perf script} collapsers write.
 */
@NullMarked
package dev.hearth.model.codec.folded;

import org.jspecify.annotations.NullMarked;
