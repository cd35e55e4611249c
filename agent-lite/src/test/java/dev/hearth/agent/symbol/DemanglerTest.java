package dev.hearth.agent.symbol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemanglerTest {

  @Test
  void demanglesCppNamesAndLeavesOthersAlone() {
    try (Demangler d = new Demangler()) {
      assertThat(d.demangle("_ZN11SymbolTable9do_lookupEPKcim"))
          .isEqualTo("SymbolTable::do_lookup(char const*, int, unsigned long)");
      assertThat(d.demangle("_ZN6Thread8call_runEv")).isEqualTo("Thread::call_run()");
      assertThat(d.demangle("main")).isEqualTo("main");
      assertThat(d.demangle("_Z")).isEqualTo("_Z");
      // Cached answers come back the same.
      assertThat(d.demangle("_ZN6Thread8call_runEv")).isEqualTo("Thread::call_run()");
    }
  }
}
