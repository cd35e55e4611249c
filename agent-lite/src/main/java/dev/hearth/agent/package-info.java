/** The eBPF CPU collector: sampling, unwinding, symbolisation, aggregation and export. */
@NullMarked
package dev.hearth.agent;

import org.jspecify.annotations.NullMarked;
