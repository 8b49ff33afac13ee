package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.Metric;
import io.scalesweep.api.v1alpha1.Mixing;
import java.util.Collections;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MixingRatesTest {

  private static final Offset<Double> EXACT = within(1e-12);
  private static final long NO_LIMIT = Long.MAX_VALUE;

  @Test
  void examplesProportionalFollowsTheSizes() {
    assertThat(MixingRates.of(new long[] {100, 300, 600}, NO_LIMIT, 1))
        .containsExactly(new double[] {0.1, 0.3, 0.6}, EXACT);
  }

  @Test
  void theLimitCapsTheLargeTasks() {
    // T5's K = 300: the 600-example task counts as 300.
    assertThat(MixingRates.of(new long[] {100, 300, 600}, 300, 1))
        .containsExactly(new double[] {100.0 / 700, 300.0 / 700, 300.0 / 700}, EXACT);
  }

  @Test
  void temperatureTakesTheTthRootOfTheCappedSizes() {
    double a = Math.sqrt(100);
    double b = Math.sqrt(400);
    double c = Math.sqrt(900);
    assertThat(MixingRates.of(new long[] {100, 400, 1600}, 900, 2))
        .containsExactly(new double[] {a / (a + b + c), b / (a + b + c), c / (a + b + c)}, EXACT);
    // A very high temperature is nearly uniform.
    assertThat(MixingRates.of(new long[] {10, 100_000}, NO_LIMIT, 1e6)[0])
        .isCloseTo(0.5, within(1e-4));
  }

  @Test
  void theRecipeChoosesTheMixing() {
    List<Task> tasks = List.of(task("a", 100), task("b", 400));
    FinetuneSpec finetune = new FinetuneSpec();
    finetune.setMixing(Mixing.EXAMPLES);
    finetune.setTemperature(2.0);
    assertThat(MixingRates.of(finetune, tasks)).containsExactly(new double[] {0.2, 0.8}, EXACT);
    finetune.setMixing(Mixing.TEMPERATURE);
    assertThat(MixingRates.of(finetune, tasks))
        .containsExactly(new double[] {10.0 / 30, 20.0 / 30}, EXACT);
    finetune.setMixingLimit(100);
    assertThat(MixingRates.of(finetune, tasks)).containsExactly(new double[] {0.5, 0.5}, EXACT);
  }

  @Test
  void impossibleInputsAreRejected() {
    assertThatThrownBy(() -> MixingRates.of(new long[] {}, NO_LIMIT, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MixingRates.of(new long[] {5, 0}, NO_LIMIT, 1))
        .hasMessageContaining("task 1 has no training examples");
    assertThatThrownBy(() -> MixingRates.of(new long[] {5}, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MixingRates.of(new long[] {5}, NO_LIMIT, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Task task(String name, int size) {
    TextExample example = new TextExample(name, name);
    return new Task(name, Metric.ACCURACY, Collections.nCopies(size, example), List.of(example));
  }
}
