package dev.hearth.agent.unwind;

import dev.hearth.agent.symbol.ObjectFile;
import org.jspecify.annotations.Nullable;

/**
 * One user-space frame as the unwinder found it.
 *
 * @param pc the instruction pointer (leaf) or return address (callers)
 * @param lookup the address to name: {@code pc} for the leaf, {@code pc - 1} for callers (inside
 *     the call instruction)
 * @param entry the executable mapping containing it, or null
 * @param object the ELF file behind the mapping, or null (JIT code, unreadable files)
 * @param address {@code lookup} as a virtual address of {@code object}, or -1
 */
public record Frame(
    long pc,
    long lookup,
    ProcessMaps.@Nullable Entry entry,
    @Nullable ObjectFile object,
    long address) {}
