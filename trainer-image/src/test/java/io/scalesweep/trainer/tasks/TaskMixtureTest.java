package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.v1alpha1.Metric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskMixtureTest {

  private static final List<Task> TASKS =
      List.of(task("small", 50), task("mid", 150), task("big", 800));

  @Test
  void observedTaskFrequenciesMatchTheRates() {
    for (double[] rates :
        List.of(
            MixingRates.of(new long[] {50, 150, 800}, Long.MAX_VALUE, 1),
            MixingRates.of(new long[] {50, 150, 800}, Long.MAX_VALUE, 3))) {
      TaskMixture mixture = new TaskMixture(TASKS, rates, 7);
      int draws = 100_000;
      Map<String, Integer> counts = new HashMap<>();
      for (TextExample e : mixture.next(draws)) {
        counts.merge(taskOf(e), 1, Integer::sum);
      }
      // The binomial standard deviation is at most 0.0016 here; 0.006 is almost four of them.
      for (int i = 0; i < TASKS.size(); i++) {
        assertThat(counts.get(TASKS.get(i).name()) / (double) draws)
            .as("rate of %s", TASKS.get(i).name())
            .isCloseTo(rates[i], within(0.006));
      }
    }
  }

  @Test
  void eachTaskIsReadInShuffledEpochsThatVisitEveryExampleOnce() {
    TaskMixture mixture = new TaskMixture(TASKS, new double[] {1, 0, 0}, 3);
    List<String> first = mixture.next(50).stream().map(TextExample::input).toList();
    List<String> second = mixture.next(50).stream().map(TextExample::input).toList();
    List<String> all = IntStream.range(0, 50).mapToObj(i -> "small " + i).toList();
    assertThat(first).containsExactlyInAnyOrderElementsOf(all).isNotEqualTo(all);
    assertThat(second).containsExactlyInAnyOrderElementsOf(all).isNotEqualTo(first);
  }

  @Test
  void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
    double[] rates = MixingRates.of(new long[] {50, 150, 800}, Long.MAX_VALUE, 1);
    List<TextExample> a = new TaskMixture(TASKS, rates, 11).next(2000);
    assertThat(new TaskMixture(TASKS, rates, 11).next(2000)).isEqualTo(a);
    assertThat(new TaskMixture(TASKS, rates, 12).next(2000)).isNotEqualTo(a);
  }

  @Test
  void aRestoredMixtureContinuesExactlyAsTheSavedOne() throws Exception {
    double[] rates = MixingRates.of(new long[] {50, 150, 800}, Long.MAX_VALUE, 2);
    TaskMixture running = new TaskMixture(TASKS, rates, 5);
    running.next(1234);
    // A checkpoint keeps the state as JSON; go through it as the trainer will.
    ObjectMapper json = new ObjectMapper();
    String saved = json.writeValueAsString(running.state());
    assertThat(saved).startsWith("{\"taken\":{\"small\":");
    TaskMixture resumed = new TaskMixture(TASKS, rates, 5);
    resumed.restore(json.readValue(saved, MixtureState.class));
    assertThat(resumed.state()).isEqualTo(running.state());
    // Far enough to cross several epochs of every task.
    assertThat(resumed.next(5000)).isEqualTo(running.next(5000));
  }

  @Test
  void aStateOfOtherTasksIsRejected() {
    TaskMixture mixture = new TaskMixture(TASKS, new double[] {0.2, 0.3, 0.5}, 1);
    assertThatThrownBy(() -> mixture.restore(new MixtureState(Map.of("small", 3L, "other", 1L))))
        .hasMessageContaining("saved mixture has tasks");
    assertThatThrownBy(() -> new MixtureState(Map.of("small", -1L)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ratesMustBeOnePerTaskAndSumToOne() {
    assertThatThrownBy(() -> new TaskMixture(TASKS, new double[] {0.5, 0.5}, 1))
        .hasMessageContaining("one rate per task");
    assertThatThrownBy(() -> new TaskMixture(TASKS, new double[] {0.5, 0.5, 0.5}, 1))
        .hasMessageContaining("sum to 1");
  }

  private static String taskOf(TextExample e) {
    return e.input().substring(0, e.input().indexOf(' '));
  }

  private static Task task(String name, int size) {
    List<TextExample> train =
        IntStream.range(0, size).mapToObj(i -> new TextExample(name + " " + i, name)).toList();
    return new Task(name, Metric.ACCURACY, train, train.subList(0, 1));
  }
}
