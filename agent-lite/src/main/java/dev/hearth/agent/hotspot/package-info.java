/**
 * HotSpot without flags: reads the JVM's own description of itself (the VMStructs tables libjvm
 * exports) to find the code cache, then unwinds compiled frames by their nmethod frame sizes and
 * interpreted frames by rbp in the stack copy taken at the sample, and names methods from their
 * {@code Method*} metadata.
 */
@NullMarked
package dev.hearth.agent.hotspot;

import org.jspecify.annotations.NullMarked;
