package dev.hearth.server.security;

import dev.hearth.server.config.AuthProperties;
import dev.hearth.server.config.ServerProperties;
import dev.hearth.server.config.TenantNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Decides the tenant of a request from its {@code Authorization} and {@code X-Scope-OrgID} values,
 * the same way for HTTP and gRPC:
 *
 * <ul>
 *   <li>tokens configured: a valid {@code Bearer} token is required and its tenant is used;
 *   <li>else multi-tenancy on: {@code X-Scope-OrgID} is required and is the tenant;
 *   <li>else: the default tenant.
 * </ul>
 */
@Component
public class TenantResolver {
  public static final String ORG_ID_HEADER = "X-Scope-OrgID";

  private final AuthProperties auth;
  private final String defaultTenant;

  public TenantResolver(AuthProperties auth, ServerProperties server) {
    this.auth = auth;
    this.defaultTenant = server.defaultTenant();
  }

  /** The outcome: a tenant, or why there is none (HTTP 401 / gRPC UNAUTHENTICATED). */
  public sealed interface Result {}

  public record Tenant(String id) implements Result {}

  public record Refused(String reason) implements Result {}

  public Result resolve(@Nullable String authorization, @Nullable String orgId) {
    if (auth.tokensRequired()) {
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return new Refused("a bearer token is required (Authorization: Bearer <token>)");
      }
      String presented = authorization.substring(7).strip();
      for (Map.Entry<String, String> e : auth.tokens().entrySet()) {
        if (MessageDigest.isEqual(
            e.getKey().getBytes(StandardCharsets.UTF_8),
            presented.getBytes(StandardCharsets.UTF_8))) {
          return new Tenant(e.getValue());
        }
      }
      return new Refused("the bearer token is not valid");
    }
    if (auth.multiTenancy()) {
      if (orgId == null || orgId.isBlank()) {
        return new Refused(
            "multi-tenancy is on: the " + ORG_ID_HEADER + " header names the tenant");
      }
      if (!TenantNames.isValid(orgId)) {
        // Not echoed: the value is the caller's, of any length and content.
        return new Refused(
            ORG_ID_HEADER
                + " is not a valid tenant name ("
                + orgId.length()
                + " characters): "
                + TenantNames.RULE);
      }
      return new Tenant(orgId);
    }
    return new Tenant(defaultTenant);
  }
}
