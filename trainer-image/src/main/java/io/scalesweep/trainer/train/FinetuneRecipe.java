package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.trainer.tasks.Task;
import io.scalesweep.trainer.tasks.TaskMixture;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What one trial fine-tunes with: the (schema-defaulted) {@code spec.finetune}, its tasks already
 * loaded and checked, and what it shares with pretraining (seed, optimizer kind, clipping).
 *
 * @param checkpoint the weights to start from instead of the trial's pretraining, {@code {code}}
 *     already replaced; null to fine-tune what the trial pretrained
 * @param precision pretraining's ({@code spec.pretrain.precision}): one setting for the trial
 */
public record FinetuneRecipe(
    FinetuneSpec spec,
    List<Task> tasks,
    String checkpoint,
    long seed,
    Optimizer optimizer,
    double maxGradNorm,
    Precision precision) {

  /** The placeholder {@code spec.finetune.checkpoint} may hold for the trial's code. */
  public static final String CODE_PLACEHOLDER = "{code}";

  public FinetuneRecipe {
    tasks = List.copyOf(tasks);
  }

  /**
   * @param finetune as {@code TaskLoader} leaves it, defaults filled in
   * @param tasks the loaded tasks, in spec order
   */
  public static FinetuneRecipe of(FinetuneSpec finetune, List<Task> tasks, TrialRecipe trial) {
    String checkpoint =
        finetune.getCheckpoint() == null
            ? null
            : finetune.getCheckpoint().replace(CODE_PLACEHOLDER, trial.code());
    Optimizer optimizer =
        trial.pretrain().getOptimizer() == null ? Optimizer.ADAFACTOR : trial.pretrain().getOptimizer();
    return new FinetuneRecipe(
        finetune, tasks, checkpoint, trial.seed(), optimizer, trial.maxGradNorm(),
        trial.precision());
  }

  public long steps() {
    return spec.getSteps();
  }

  public int batchSize() {
    return spec.getBatchSize();
  }

  public float learningRate() {
    return spec.getLearningRate().floatValue();
  }

  public int inputLength() {
    return spec.getInputLength();
  }

  public int targetLength() {
    return spec.getTargetLength();
  }

  /** Dropout while fine-tuning (0.1 unless the spec says otherwise, as in T5 1.0). */
  public float dropout() {
    return spec.getDropout() == null ? 0.1f : spec.getDropout().floatValue();
  }

  /** Steps between validation scorings; 0 when only the last step is scored. */
  public int evalEvery() {
    return spec.getEvalEvery() == null ? 0 : spec.getEvalEvery();
  }

  /** Whether short examples share rows ({@code spec.finetune.pack}). */
  public boolean pack() {
    return Boolean.TRUE.equals(spec.getPack());
  }

  public double zLoss() {
    return spec.getZLoss() == null ? 0 : spec.getZLoss();
  }

  public int checkpointEvery() {
    return spec.getCheckpointEvery();
  }

  /** Whether pretraining is skipped for a given checkpoint. */
  public boolean fromCheckpoint() {
    return checkpoint != null;
  }

  /** A fresh mixture of the tasks at the spec's rates, seeded by the trial. */
  public TaskMixture mixture() {
    return TaskMixture.of(spec, tasks, seed);
  }

  /**
   * Fingerprint of what decides fine-tuning's trajectory: where it starts ({@code upstream}, the
   * pretraining fingerprint and step count, or the given checkpoint) and the spec, less what may
   * change between attempts without changing the steps already taken (step count, checkpoint
   * interval). A fine-tuning checkpoint is resumed only by a recipe with the same fingerprint.
   */
  public String fingerprint(String upstream) {
    ObjectMapper json =
        new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    try {
      FinetuneSpec trajectory = json.readValue(json.writeValueAsBytes(spec), FinetuneSpec.class);
      trajectory.setSteps(null);
      trajectory.setCheckpointEvery(null);
      trajectory.setCheckpoint(checkpoint);
      Object[] fields =
          precision == Precision.FP32
              // as before the setting existed, so older fine-tuning checkpoints still resume
              ? new Object[] {upstream, trajectory, seed, optimizer, maxGradNorm}
              : new Object[] {upstream, trajectory, seed, optimizer, maxGradNorm, precision};
      byte[] text = json.writeValueAsBytes(fields);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the fine-tuning recipe", e);
    }
  }
}
