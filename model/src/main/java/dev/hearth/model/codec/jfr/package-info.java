/**
 * JDK Flight Recorder recordings read into Hearth profiles, with the profile type names Grafana
 * Pyroscope gives the same JFR events; see {@link dev.hearth.model.codec.jfr.JfrDecoder}.
 */
@NullMarked
package dev.hearth.model.codec.jfr;

import org.jspecify.annotations.NullMarked;
