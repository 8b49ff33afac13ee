package io.scalesweep.trainer.tasks;

import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.trainer.data.SeedMixer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The endless, seeded stream of training examples of several tasks. Each draw first picks a task
 * by its mixing rate, then takes that task's next example in an order shuffled afresh every
 * epoch of the task, as T5 repeats and shuffles each task's data before mixing. Every random
 * choice is a function of the seed and of counts, so {@link #state()} is a few numbers and a
 * restored mixture continues exactly where the saved one was.
 */
public final class TaskMixture {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final List<Task> tasks;
  private final double[] rates;
  private final double[] cumulative;
  private final long seed;
  private final long[] taken;
  private final int[][] orders;
  private final long[] orderEpochs;
  private long drawn;

  /**
   * @param rates the probability of each task, in order, summing to 1 (see {@link MixingRates})
   */
  public TaskMixture(List<Task> tasks, double[] rates, long seed) {
    if (tasks.isEmpty() || rates.length != tasks.size()) {
      throw new IllegalArgumentException("one rate per task is needed");
    }
    this.tasks = List.copyOf(tasks);
    this.rates = rates.clone();
    this.seed = seed;
    this.cumulative = new double[rates.length];
    double sum = 0;
    for (int i = 0; i < rates.length; i++) {
      sum += rates[i];
      cumulative[i] = sum;
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException("mixing rates must sum to 1, got " + sum);
    }
    // Rounding must never leave a draw past the last task.
    cumulative[rates.length - 1] = 1;
    this.taken = new long[tasks.size()];
    this.orders = new int[tasks.size()][];
    this.orderEpochs = new long[tasks.size()];
  }

  /** The mixture a fine-tuning recipe asks for; {@code finetune} as TaskLoader leaves it. */
  public static TaskMixture of(FinetuneSpec finetune, List<Task> tasks, long seed) {
    return new TaskMixture(tasks, MixingRates.of(finetune, tasks), seed);
  }

  /** The next training example. */
  public TextExample next() {
    int task = pick(uniform(drawn++));
    List<TextExample> train = tasks.get(task).train();
    long k = taken[task]++;
    int[] order = order(task, k / train.size());
    return train.get(order[(int) (k % train.size())]);
  }

  /** The next {@code count} training examples, e.g. one batch. */
  public List<TextExample> next(int count) {
    List<TextExample> batch = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      batch.add(next());
    }
    return batch;
  }

  /** The probability of each task, in the order of the tasks given. */
  public double[] rates() {
    return rates.clone();
  }

  public MixtureState state() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      counts.put(tasks.get(i).name(), taken[i]);
    }
    return new MixtureState(counts);
  }

  /**
   * Continues from a saved state.
   *
   * @throws IllegalArgumentException when the state was saved for other tasks
   */
  public void restore(MixtureState state) {
    List<String> names = tasks.stream().map(Task::name).toList();
    if (!state.taken().keySet().equals(new HashSet<>(names))) {
      throw new IllegalArgumentException(
          "the saved mixture has tasks " + state.taken().keySet() + " but this one has " + names);
    }
    drawn = 0;
    for (int i = 0; i < tasks.size(); i++) {
      taken[i] = state.taken().get(names.get(i));
      drawn += taken[i];
    }
  }

  private int pick(double u) {
    int i = 0;
    while (u >= cumulative[i]) {
      i++;
    }
    return i;
  }

  /** SplitMix64's output for one index: a counter-based stream needs no saved RNG state. */
  private double uniform(long index) {
    return (SeedMixer.mix(seed + (index + 1) * GOLDEN) >>> 11) * 0x1.0p-53;
  }

  private int[] order(int task, long epoch) {
    if (orders[task] == null || orderEpochs[task] != epoch) {
      int n = tasks.get(task).train().size();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(SeedMixer.mix(SeedMixer.mix(SeedMixer.mix(seed) + task) + epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      orders[task] = order;
      orderEpochs[task] = epoch;
    }
    return orders[task];
  }
}
