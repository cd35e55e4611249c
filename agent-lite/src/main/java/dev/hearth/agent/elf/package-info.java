/** A small ELF reader: sections, symbols, build id, debug links, .eh_frame CFI. */
@NullMarked
package dev.hearth.agent.elf;

import org.jspecify.annotations.NullMarked;
