/** Process address spaces and the user-stack unwinder (CFI, frame pointers, JIT frames). */
@NullMarked
package dev.hearth.agent.unwind;

import org.jspecify.annotations.NullMarked;
