package dev.hearth.ingest;

import java.util.List;

/**
 * What ingest did with a request.
 *
 * @param accepted profiles stored (duplicates and empty profiles count as accepted: the client must
 *     not resend them)
 * @param rejected profiles refused; only non-zero for requests that allow partial success
 * @param errors one message per refused profile, naming the limit or field at fault
 * @param samples samples stored
 */
public record IngestResult(int accepted, int rejected, List<String> errors, long samples) {
  public IngestResult {
    errors = List.copyOf(errors);
  }
}
