/** Names for addresses: ELF symbols, separate debug files, kallsyms, perf maps. */
@NullMarked
package dev.hearth.agent.symbol;

import org.jspecify.annotations.NullMarked;
