/**
 * CPython without flags: finds {@code _PyRuntime} and the version's offsets so the BPF program can
 * read each sampled thread's frame chain, then names the recorded code objects and merges the
 * Python frames into the native stack where the interpreter loop ran them.
 */
@NullMarked
package dev.hearth.agent.python;

import org.jspecify.annotations.NullMarked;
