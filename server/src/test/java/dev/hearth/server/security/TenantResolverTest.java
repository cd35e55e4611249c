package dev.hearth.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.server.config.AuthProperties;
import dev.hearth.server.config.ServerProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantResolverTest {
  private static final ServerProperties SERVER =
      new ServerProperties("default", Duration.ofHours(1));

  private static TenantResolver resolver(Map<String, String> tokens, boolean multiTenancy) {
    return new TenantResolver(new AuthProperties(tokens, multiTenancy), SERVER);
  }

  @Test
  void withoutAuthEverythingIsTheDefaultTenant() {
    assertThat(resolver(Map.of(), false).resolve(null, "other"))
        .isEqualTo(new TenantResolver.Tenant("default"));
  }

  @Test
  void tokensMapToTenantsAndAreRequired() {
    TenantResolver r = resolver(Map.of("team-a-token-0123456789", "team-a"), false);
    assertThat(r.resolve("Bearer team-a-token-0123456789", null))
        .isEqualTo(new TenantResolver.Tenant("team-a"));
    assertThat(r.resolve("bearer team-a-token-0123456789", "team-b"))
        .isEqualTo(new TenantResolver.Tenant("team-a"));
    assertThat(r.resolve(null, "team-a")).isInstanceOf(TenantResolver.Refused.class);
    assertThat(r.resolve("Bearer wrong-token-0123456789", null))
        .isEqualTo(new TenantResolver.Refused("the bearer token is not valid"));
    assertThat(r.resolve("Basic abc", null)).isInstanceOf(TenantResolver.Refused.class);
  }

  @Test
  void multiTenancyTakesTheOrgIdHeader() {
    TenantResolver r = resolver(Map.of(), true);
    assertThat(r.resolve(null, "acme")).isEqualTo(new TenantResolver.Tenant("acme"));
    assertThat(r.resolve(null, null)).isInstanceOf(TenantResolver.Refused.class);
    assertThat(r.resolve(null, "bad tenant/..")).isInstanceOf(TenantResolver.Refused.class);
  }

  @Test
  void probesAndStaticFilesAreOpenApisAreNot() {
    assertThat(TenantWebFilter.isOpen("/health")).isTrue();
    assertThat(TenantWebFilter.isOpen("/metrics")).isTrue();
    assertThat(TenantWebFilter.isOpen("/index.html")).isTrue();
    assertThat(TenantWebFilter.isOpen("/api/v1/flamegraph")).isFalse();
    assertThat(TenantWebFilter.isOpen("/ingest")).isFalse();
    assertThat(TenantWebFilter.isOpen("/v1development/profiles")).isFalse();
    assertThat(TenantWebFilter.isOpen("/push.v1.PusherService/Push")).isFalse();
  }
}
