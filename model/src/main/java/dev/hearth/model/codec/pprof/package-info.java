/**
 * pprof ({@code perftools.profiles}) read and write; classes generated from {@code profile.proto}.
 */
@NullMarked
package dev.hearth.model.codec.pprof;

import org.jspecify.annotations.NullMarked;
