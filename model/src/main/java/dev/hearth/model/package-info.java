/**
 * Hearth's profile model: profile types, series label sets, and the content-addressed dictionary
 * entities (function, mapping, location, stack) that samples point at.
 *
 * <p>Every entity carries a 64-bit id computed from a documented canonical encoding (see {@link
 * dev.hearth.model.Ids}); equal content gives equal ids on every host, so ingest replicas never
 * coordinate.
 */
@NullMarked
package dev.hearth.model;

import org.jspecify.annotations.NullMarked;
