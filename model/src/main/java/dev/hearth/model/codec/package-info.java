/**
 * Codecs between wire formats and the {@link dev.hearth.model.Profile} model: pprof, OTLP profiles,
 * folded stacks and JFR. Decoders never trust their input: every index is bounds-checked and every
 * failure is a {@link dev.hearth.model.codec.ProfileDecodeException} that names what is wrong.
 */
@NullMarked
package dev.hearth.model.codec;

import org.jspecify.annotations.NullMarked;
