package io.scalesweep.trainer.tasks;

import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.Mixing;
import java.util.List;

/**
 * How often each task is sampled when fine-tuning on several at once, as T5 mixes them: a task's
 * rate is proportional to {@code min(size, K)^(1/T)}. Examples-proportional mixing is {@code T =
 * 1}; a higher temperature moves the rates towards uniform so small tasks are not drowned out,
 * and the limit K keeps one huge task from taking nearly every step.
 */
public final class MixingRates {

  private MixingRates() {}

  /**
   * Normalised rates of the tasks, in order, as the recipe asks.
   *
   * @param finetune with the schema's defaults applied, as {@link TaskLoader#load} leaves it
   */
  public static double[] of(FinetuneSpec finetune, List<Task> tasks) {
    long[] sizes = tasks.stream().mapToLong(t -> t.train().size()).toArray();
    double temperature = finetune.getMixing() == Mixing.TEMPERATURE ? finetune.getTemperature() : 1;
    Integer limit = finetune.getMixingLimit();
    return of(sizes, limit == null ? Long.MAX_VALUE : limit, temperature);
  }

  /**
   * @param sizes training examples of each task, each at least 1
   * @param limit T5's K, at least 1; {@code Long.MAX_VALUE} for none
   * @param temperature T, positive; 1 for examples-proportional mixing
   */
  public static double[] of(long[] sizes, long limit, double temperature) {
    if (sizes.length == 0 || limit < 1 || !(temperature > 0)) {
      throw new IllegalArgumentException(
          "mixing needs tasks, a limit of at least 1 and a positive temperature");
    }
    double[] rates = new double[sizes.length];
    double total = 0;
    for (int i = 0; i < sizes.length; i++) {
      if (sizes[i] < 1) {
        throw new IllegalArgumentException("task " + i + " has no training examples");
      }
      rates[i] = Math.pow(Math.min(sizes[i], limit), 1 / temperature);
      total += rates[i];
    }
    for (int i = 0; i < rates.length; i++) {
      rates[i] /= total;
    }
    return rates;
  }
}
