package dev.hearth.server.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates every configuration record at start-up and reports all problems at once, so an operator
 * fixes a bad file in one go rather than one restart per mistake.
 */
public final class ConfigurationCheck {
  private ConfigurationCheck() {}

  /** Throws {@link InvalidConfigurationException} listing every problem, if there are any. */
  public static void validate(
      ClickHouseProperties clickhouse,
      ServerProperties server,
      AuthProperties auth,
      IngestProperties ingest,
      QueryProperties query) {
    List<String> problems = new ArrayList<>();
    problems.addAll(clickhouse.problems());
    problems.addAll(server.problems());
    problems.addAll(auth.problems());
    problems.addAll(ingest.problems());
    problems.addAll(query.problems());
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
  }

  /** Throws {@link InvalidConfigurationException} listing {@code problems}, if there are any. */
  public static void require(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
  }

  /** The configuration has problems; the message lists each one. */
  public static final class InvalidConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfigurationException(List<String> problems) {
      super(
          "Hearth's configuration has "
              + problems.size()
              + " problem"
              + (problems.size() == 1 ? "" : "s")
              + ":\n  - "
              + String.join("\n  - ", problems));
    }
  }
}
