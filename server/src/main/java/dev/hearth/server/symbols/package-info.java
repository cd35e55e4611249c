/** Server-side symbolisation wiring, the debug file upload API and its metrics. */
@NullMarked
package dev.hearth.server.symbols;

import org.jspecify.annotations.NullMarked;
