/**
 * One event source per BPF program object: each opens its object, writes its typed config ({@link
 * dev.hearth.agent.bpf.BpfLayouts}), loads, attaches, and undoes it all in {@code close}.
 */
@NullMarked
package dev.hearth.agent.source;

import org.jspecify.annotations.NullMarked;
