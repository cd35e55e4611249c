package dev.hearth.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Authentication and tenancy.
 *
 * @param tokens bearer tokens and the tenant each one acts for; empty turns authentication off
 * @param multiTenancy whether {@code X-Scope-OrgID} names the tenant (then required on every
 *     request without a token)
 * @param publicMetrics whether {@code /metrics} answers without a token while tokens are set (it
 *     lists tenant names); without tokens every endpoint is open anyway
 * @param publicReflection whether gRPC server reflection answers without a token while tokens are
 *     set
 */
@ConfigurationProperties("hearth.auth")
public record AuthProperties(
    @DefaultValue Map<String, String> tokens,
    @DefaultValue("false") boolean multiTenancy,
    @DefaultValue("false") boolean publicMetrics,
    @DefaultValue("false") boolean publicReflection) {

  public AuthProperties {
    tokens = Map.copyOf(tokens);
  }

  public boolean tokensRequired() {
    return !tokens.isEmpty();
  }

  /** Every problem with these settings, each naming its key. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    tokens.forEach(
        (token, tenant) -> {
          if (token.length() < 16) {
            out.add(
                "hearth.auth.tokens: a token is shorter than 16 characters (tenant "
                    + tenant
                    + ")");
          }
          if (!TenantNames.isValid(tenant)) {
            out.add("hearth.auth.tokens: tenant '" + tenant + "' " + TenantNames.RULE);
          }
        });
    return out;
  }
}
