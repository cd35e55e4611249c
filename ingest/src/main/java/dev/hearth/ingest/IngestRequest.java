package dev.hearth.ingest;

import java.util.List;

/**
 * One request as a transport received it.
 *
 * @param tenant whose data it is, resolved by the transport's security layer
 * @param transport metric tag: {@code otlp_grpc}, {@code otlp_http}, {@code pyroscope_ingest},
 *     {@code pyroscope_push}
 * @param payloads the profiles to ingest
 * @param partialSuccess whether valid profiles are stored when others are refused (OTLP reports the
 *     refused ones); when false, one refusal fails the whole request and nothing is stored
 */
public record IngestRequest(
    String tenant, String transport, List<Payload> payloads, boolean partialSuccess) {
  public IngestRequest {
    payloads = List.copyOf(payloads);
  }

  /** Bytes of all payloads as received. */
  public long size() {
    long n = 0;
    for (Payload p : payloads) {
      n += p.size();
    }
    return n;
  }
}
