package dev.hearth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveControllerTest {
  @Test
  void overBudgetScalesDownByTheOvershootAtMostFourfold() {
    AdaptiveController c = new AdaptiveController(2.0, 0, 99, 512 * 1024);
    assertThat(c.step(3.0, 0)).isEqualTo(new AdaptiveController.Settings(66, 786432, 2));
    assertThat(c.step(10.0, 0)).isEqualTo(new AdaptiveController.Settings(16, 3145728, 8));
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
    assertThat(c.current()).isEqualTo(new AdaptiveController.Settings(99, 512 * 1024, 1));
  }
}
