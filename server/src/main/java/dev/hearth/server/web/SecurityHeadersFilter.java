package dev.hearth.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Browser hardening on every HTTP response: a Content-Security-Policy that allows only Hearth's own
 * scripts, styles and API (the UI's one inline script, which sets the theme before first paint, by
 * its SHA-256), no framing, no MIME sniffing, no referrer.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class SecurityHeadersFilter implements WebFilter {
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private final String policy;

  public SecurityHeadersFilter() {
    StringBuilder scripts = new StringBuilder("'self'");
    for (String hash : inlineScriptHashes()) {
      scripts.append(" '").append(hash).append('\'');
    }
    this.policy =
        "default-src 'self'; script-src "
            + scripts
            + "; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none';"
            + " base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    HttpHeaders headers = exchange.getResponse().getHeaders();
    headers.set("Content-Security-Policy", policy);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    return chain.filter(exchange);
  }

  private static java.util.List<String> inlineScriptHashes() {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (InputStream in =
        SecurityHeadersFilter.class.getClassLoader().getResourceAsStream("static/index.html")) {
      if (in == null) {
        return out;
      }
      Matcher m = INLINE_SCRIPT.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      while (m.find()) {
        byte[] digest =
            MessageDigest.getInstance("SHA-256")
                .digest(m.group(1).getBytes(StandardCharsets.UTF_8));
        out.add("sha256-" + Base64.getEncoder().encodeToString(digest));
      }
    } catch (IOException | NoSuchAlgorithmException e) {
      // No UI, or no hash: the inline script is then refused, which costs only the early theme.
    }
    return out;
  }
}
