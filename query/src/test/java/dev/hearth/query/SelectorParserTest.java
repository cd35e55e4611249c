package dev.hearth.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.LabelMatcher;
import dev.hearth.model.ProfileType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorParserTest {
  @Test
  void typePrefixAndAllFourOperators() {
    Selector s =
        SelectorParser.parse(
            "query",
            "process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"api\", host_name=~\"web-.*\","
                + " env!='dev', pod!~`a\\d+`,}");
    assertThat(s.type()).isEqualTo(ProfileType.CPU);
    assertThat(s.matchers())
        .containsExactly(
            LabelMatcher.eq("service_name", "api"),
            new LabelMatcher("host_name", LabelMatcher.Op.RE, "web-.*"),
            new LabelMatcher("env", LabelMatcher.Op.NEQ, "dev"),
            new LabelMatcher("pod", LabelMatcher.Op.NRE, "a\\d+"));
  }

  @Test
  void typeAloneMatchersAloneAndEmpty() {
    assertThat(SelectorParser.parse("query", "memory:alloc_space:bytes:space:bytes").type())
        .isEqualTo(ProfileType.ALLOC_SPACE);
    assertThat(SelectorParser.parse("query", "{a=\"x\\\"y\"}").matchers())
        .containsExactly(LabelMatcher.eq("a", "x\"y"));
    assertThat(SelectorParser.parse("query", " {} ")).isEqualTo(new Selector(null, List.of()));
  }

  @Test
  void dottedNamesBareAndUtf8NamesQuoted() {
    assertThat(
            SelectorParser.parse(
                    "query",
                    "{otel.scope.name=\"pyroscope\", \"otel.scope.version\"=\"1\", 'k8s/pod'=~\"a.*\"}")
                .matchers())
        .containsExactly(
            LabelMatcher.eq("otel.scope.name", "pyroscope"),
            LabelMatcher.eq("otel.scope.version", "1"),
            new LabelMatcher("k8s/pod", LabelMatcher.Op.RE, "a.*"));
  }

  @Test
  void errorsPointAtTheOffendingCharacter() {
    assertError("{service_name~\"api\"}", 14, "expected '=', '!=', '=~' or '!~'");
    assertError("{service_name=api}", 15, "expected a quoted value");
    assertError("{a=\"x\" b=\"y\"}", 8, "expected ',' or '}'");
    assertError("{a=\"x\"", 7, "unterminated");
    assertError("{a=\"x}", 4, "unterminated quoted value");
    assertError("{a=~\"(\"}", 5, "invalid regular expression");
    assertError("process_cpu:cpu{a=\"x\"}", 1, "has 2 parts");
    assertError("{1a=\"x\"}", 2, "expected a label name");
    assertError("{a=\"x\"} z", 9, "after the closing");
    assertError("{\"\"=\"x\"}", 2, "is not a label name");
    assertError("{\"a\" \"x\"}", 6, "expected '=', '!=', '=~' or '!~'");
  }

  private static void assertError(String text, int column, String message) {
    assertThatThrownBy(() -> SelectorParser.parse("query", text))
        .isInstanceOfSatisfying(
            InvalidQueryException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("query");
              assertThat(e.column()).as(text).isEqualTo(column);
              assertThat(e.getMessage()).contains(message).contains("column " + column);
            });
  }

  @Test
  void regexesRe2RefusesAreTheClientsError() {
    for (String re : List.of("(?=a)", "(a)\\\\1", "a{1000}{1000}", "a{1001}", "(a{100}){100}")) {
      assertThatThrownBy(() -> SelectorParser.parse("query", "{service_name=~\"" + re + "\"}"))
          .as(re)
          .isInstanceOf(InvalidQueryException.class)
          .hasMessageContaining("query")
          .hasMessageContaining("invalid regular expression (RE2");
    }
    assertThat(SelectorParser.parse("query", "{a=~\"(web|api)-[0-9]{1,3}\"}").matchers())
        .hasSize(1);
  }
}
