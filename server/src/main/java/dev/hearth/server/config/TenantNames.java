package dev.hearth.server.config;

/** What a tenant id may look like (as Pyroscope and Mimir accept in {@code X-Scope-OrgID}). */
public final class TenantNames {
  public static final String RULE = "must be 1 to 150 characters of [a-zA-Z0-9!._*'()-]";

  private TenantNames() {}

  public static boolean isValid(String tenant) {
    return tenant.matches("[a-zA-Z0-9!._*'()\\-]{1,150}");
  }
}
