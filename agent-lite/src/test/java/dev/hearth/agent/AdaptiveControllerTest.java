package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveControllerTest {
  @Test
  void overBudgetScalesDownByTheOvershootAtMostFourfold() {
    AdaptiveController c = new AdaptiveController(2.0, 0, 99, 512 * 1024);
    assertThat(c.step(3.0, 0)).isEqualTo(new AdaptiveController.Settings(66, 786432, 2, false));
    assertThat(c.step(10.0, 0)).isEqualTo(new AdaptiveController.Settings(16, 3145728, 8, false));
  }

  @Test
  void eventBudgetCountsToo() {
    AdaptiveController c = new AdaptiveController(0, 1000, 100, 1000);
    assertThat(c.step(50, 1500).frequencyHz()).isEqualTo(66);
  }

  @Test
  void withinBudgetHoldsAndWellUnderCreepsBackToTheConfiguredValues() {
    AdaptiveController c = new AdaptiveController(2.0, 0, 99, 512 * 1024);
    c.step(8.0, 0);
    AdaptiveController.Settings held = c.step(1.9, 0);
    assertThat(c.step(1.5, 0)).isEqualTo(held);
    for (int i = 0; i < 20; i++) {
      c.step(0.1, 0);
    }
    assertThat(c.current()).isEqualTo(new AdaptiveController.Settings(99, 512 * 1024, 1, false));
  }

  @Test
  void offCpuIsPausedWhenThinningIsExhaustedAndResumesUnderBudget() {
    AdaptiveController c = new AdaptiveController(2.0, 0, 99, 512 * 1024);
    int steps = 0;
    while (!c.current().offCpuPaused() && steps++ < 100) {
      c.step(10, 0); // the hooks alone are over budget
    }
    assertThat(c.current().offCpuPaused()).isTrue();
    assertThat(c.current().offCpuOneIn()).isEqualTo(AdaptiveController.MAX_ONE_IN);
    for (int i = 0; i < AdaptiveController.FIRST_PAUSE_STEPS - 1; i++) {
      assertThat(c.step(0.5, 0).offCpuPaused()).isTrue();
    }
    assertThat(c.step(0.5, 0).offCpuPaused()).isFalse();
    // Over budget again at once: thinned back to the sparsest, then paused for twice as long.
    assertThat(c.step(10, 0).offCpuPaused()).isFalse();
    c.step(10, 0);
    assertThat(c.current().offCpuPaused()).isTrue();
    for (int i = 0; i < 2 * AdaptiveController.FIRST_PAUSE_STEPS - 1; i++) {
      assertThat(c.step(0.5, 0).offCpuPaused()).isTrue();
    }
    assertThat(c.step(0.5, 0).offCpuPaused()).isFalse();
  }
}
