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
    return new TenantResolver(new AuthProperties(tokens, multiTenancy, false, false), SERVER);
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
    assertThat(TenantWebFilter.isOpen("/health", false)).isTrue();
    assertThat(TenantWebFilter.isOpen("/metrics", true)).isTrue();
    assertThat(TenantWebFilter.isOpen("/metrics", false)).isFalse();
    assertThat(TenantWebFilter.isOpen("/index.html", false)).isTrue();
    assertThat(TenantWebFilter.isOpen("/assets/index-1.js", false)).isTrue();
    assertThat(TenantWebFilter.isOpen("/assets/x/y", false)).isFalse();
    assertThat(TenantWebFilter.isOpen("/api/v1/flamegraph", true)).isFalse();
    assertThat(TenantWebFilter.isOpen("/ingest", true)).isFalse();
    assertThat(TenantWebFilter.isOpen("/anything-new", true)).as("closed by default").isFalse();
  }

  @Test
  void pathsAreDecodedAndNormalisedBeforeTheDecision() {
    assertThat(RequestPaths.normalise("/%61pi/v1/label-values")).isEqualTo("/api/v1/label-values");
    assertThat(RequestPaths.normalise("/api;x=1/v1/labels")).isEqualTo("/api/v1/labels");
    assertThat(RequestPaths.normalise("/%69ngest")).isEqualTo("/ingest");
    assertThat(RequestPaths.normalise("//health")).isEqualTo("/health");
    assertThat(RequestPaths.normalise("/")).isEqualTo("/");
    assertThat(RequestPaths.normalise("/health/../api/v1/labels")).isNull();
    assertThat(RequestPaths.normalise("/api%2Fv1")).isNull();
    assertThat(RequestPaths.normalise("/a%zz")).isNull();
    assertThat(RequestPaths.normalise("/a%ff")).isNull();
  }
}
