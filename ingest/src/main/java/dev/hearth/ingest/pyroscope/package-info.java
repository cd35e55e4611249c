/**
 * Grafana Pyroscope's ingest protocol, in one place: the {@code /ingest} query parameters and
 * application-name key ({@link dev.hearth.ingest.pyroscope.PyroscopeIngest}, {@link
 * dev.hearth.ingest.pyroscope.PyroscopeName}), format detection, multipart uploads ({@link
 * dev.hearth.ingest.pyroscope.Multipart}, {@link dev.hearth.ingest.pyroscope.SampleTypeConfig}),
 * JFR context labels ({@link dev.hearth.ingest.pyroscope.JfrContexts}) and {@code
 * push.v1.PusherService/Push} ({@link dev.hearth.ingest.pyroscope.PyroscopePush}). Everything here
 * turns bytes and parameters into {@link dev.hearth.ingest.Payload}s; transports only carry them.
 */
@NullMarked
package dev.hearth.ingest.pyroscope;

import org.jspecify.annotations.NullMarked;
