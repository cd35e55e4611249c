/** FFM bindings to the system libbpf.so.1 and perf_event_open; the BPF sampling record. */
@NullMarked
package dev.hearth.agent.bpf;

import org.jspecify.annotations.NullMarked;
