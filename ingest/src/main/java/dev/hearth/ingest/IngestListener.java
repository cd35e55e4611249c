package dev.hearth.ingest;

/**
 * What ingest reports for metrics, per transport and tenant. Calls come from any thread and must
 * not block. Every method has an empty default.
 */
public interface IngestListener {
  IngestListener NONE = new IngestListener() {};

  /** A request's payload arrived and decoded: its profiles, their samples and the body's bytes. */
  default void received(String transport, String tenant, long profiles, long samples, long bytes) {}

  /** Profiles (or a whole request, counted as 1 when nothing decoded) refused for a reason. */
  default void rejected(String transport, String tenant, String reason, long profiles) {}

  /** Profiles and samples stored. */
  default void written(String transport, String tenant, long profiles, long samples) {}

  /** Exact duplicates of recently written profiles, dropped. */
  default void duplicates(String transport, String tenant, long profiles) {}

  /** Stacks cut to the depth limit. */
  default void truncatedStacks(String transport, String tenant, long stacks) {}

  /** From a request's arrival to its answer, whatever the outcome. */
  default void latency(String transport, String tenant, long nanos) {}
}
