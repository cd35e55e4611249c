package dev.hearth.storage.clickhouse;

import java.util.Objects;

/**
 * Where ClickHouse's HTTP interface answers and who to log in as.
 *
 * @param url e.g. {@code http://127.0.0.1:8123}
 * @param user user name
 * @param password password (never logged)
 */
public record ClickHouseEndpoint(String url, String user, String password) {
  public ClickHouseEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return user + "@" + url;
  }
}
