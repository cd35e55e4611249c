package dev.hearth.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ingest.IngestLimits;
import dev.hearth.query.QueryLimits;
import dev.hearth.storage.clickhouse.ClickHouseSettings;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * A default lives in the properties record ({@code @DefaultValue}); {@code application.yml} lists
 * every key with the same value and a comment, and the plain-Java limit records' {@code defaults()}
 * agree. Adding a key means adding a record component and its line in {@code application.yml}: this
 * test fails until both exist and agree.
 */
class ConfigurationDefaultsTest {

  @Test
  void applicationYmlGivesEveryRecordItsOwnDefaults() throws IOException {
    Binder yml = ymlBinder();
    Binder empty = new Binder(List.of());
    for (Class<?> type : propertiesRecords()) {
      String prefix = prefixOf(type);
      assertThat(yml.bindOrCreate(prefix, type))
          .as("%s bound from application.yml vs. its @DefaultValue defaults", type.getSimpleName())
          .isEqualTo(empty.bindOrCreate(prefix, type));
    }
  }

  @Test
  void applicationYmlListsEveryKeyOfEveryRecordAndNoOther() throws IOException {
    List<Class<?>> records = propertiesRecords();
    Set<String> prefixes = new TreeSet<>();
    Set<String> recordKeys = new TreeSet<>();
    for (Class<?> type : records) {
      prefixes.add(prefixOf(type));
      for (RecordComponent c : type.getRecordComponents()) {
        recordKeys.add(prefixOf(type) + "." + kebab(c.getName()));
      }
    }
    Set<String> ymlKeys = new TreeSet<>();
    for (String key : ymlKeys()) {
      // The record whose prefix is the longest one this key starts with owns it.
      prefixes.stream()
          .filter(p -> key.startsWith(p + "."))
          .max(Comparator.comparingInt(String::length))
          .ifPresent(p -> ymlKeys.add(p + "." + key.substring(p.length() + 1).split("[.\\[]")[0]));
    }
    // Prefixes of nested records ("hearth.auth" under "hearth") are not keys of their parent.
    ymlKeys.removeAll(prefixes);
    assertThat(ymlKeys).as("keys in application.yml").isEqualTo(recordKeys);
  }

  @Test
  void theLibrariesDefaultsAreTheConfiguredDefaults() {
    Binder empty = new Binder(List.of());
    IngestProperties ingest = empty.bindOrCreate("hearth.ingest", IngestProperties.class);
    QueryProperties query = empty.bindOrCreate("hearth.query", QueryProperties.class);
    ClickHouseProperties clickhouse = empty.bindOrCreate("clickhouse", ClickHouseProperties.class);
    assertThat(IngestLimits.defaults()).isEqualTo(ingest.limits());
    assertThat(QueryLimits.defaults()).isEqualTo(query.limits());
    assertThat(ClickHouseSettings.defaults().withMaxRowsToRead(query.maxRowsToRead()))
        .isEqualTo(clickhouse.settings(query.maxRowsToRead()));
  }

  private static List<Class<?>> propertiesRecords() {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    List<Class<?>> out = new ArrayList<>();
    for (BeanDefinition d : scanner.findCandidateComponents("dev.hearth.server")) {
      try {
        out.add(Class.forName(d.getBeanClassName()));
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(out).as("@ConfigurationProperties records found").hasSizeGreaterThanOrEqualTo(5);
    assertThat(out).allMatch(Class::isRecord, "every properties class is a record");
    return out;
  }

  private static String prefixOf(Class<?> type) {
    ConfigurationProperties a = type.getAnnotation(ConfigurationProperties.class);
    return a.value().isEmpty() ? a.prefix() : a.value();
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  private static List<PropertySource<?>> ymlSources() throws IOException {
    return new YamlPropertySourceLoader()
        .load("application.yml", new ClassPathResource("application.yml"));
  }

  private static Binder ymlBinder() throws IOException {
    List<PropertySource<?>> sources = ymlSources();
    return new Binder(
        ConfigurationPropertySources.from(sources),
        new PropertySourcesPlaceholdersResolver(sources));
  }

  private static Set<String> ymlKeys() throws IOException {
    Set<String> keys = new TreeSet<>();
    for (PropertySource<?> s : ymlSources()) {
      keys.addAll(List.of(((EnumerablePropertySource<?>) s).getPropertyNames()));
    }
    return keys;
  }
}
