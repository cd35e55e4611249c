/**
 * Grafana Pyroscope's read API ({@code querier.v1.QuerierService}) over the query core: each
 * Pyroscope request is translated into Hearth's typed requests ({@link dev.hearth.query.request})
 * and each result into Pyroscope's messages, so that Grafana's Pyroscope data source and {@code
 * profilecli} read from Hearth. The transports (Connect, gRPC, the legacy {@code /pyroscope/*}
 * routes) live in the server.
 */
@NullMarked
package dev.hearth.query.pyroscope;

import org.jspecify.annotations.NullMarked;
