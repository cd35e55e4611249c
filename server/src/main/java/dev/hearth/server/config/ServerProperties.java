package dev.hearth.server.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Hearth's own settings.
 *
 * @param defaultTenant the tenant data belongs to when multi-tenancy is off
 * @param retentionCheckInterval how often day partitions past the retention are dropped
 */
@ConfigurationProperties("hearth")
public record ServerProperties(
    @DefaultValue("default") String defaultTenant,
    @DefaultValue("1h") java.time.Duration retentionCheckInterval) {

  /** Every problem with these settings, each naming its key. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (defaultTenant.isBlank()) {
      out.add("hearth.default-tenant must not be empty");
    }
    if (retentionCheckInterval.isNegative() || retentionCheckInterval.isZero()) {
      out.add("hearth.retention-check-interval must be a positive duration");
    }
    return out;
  }
}
