package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.DatasetSpec;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.DataException;
import io.scalesweep.trainer.data.PretrainData;
import io.scalesweep.trainer.data.SpanCorruptionPipeline;
import io.scalesweep.trainer.data.Tokenizer;
import io.scalesweep.trainer.data.Tokenizers;
import io.scalesweep.trainer.tasks.Task;
import io.scalesweep.trainer.tasks.TaskLoader;
import io.scalesweep.trainer.tasks.TextBatcher;
import java.io.UncheckedIOException;

/**
 * Checks a trial before anything expensive starts (the engine, the model): the recipe's rules, the
 * tokenizer against the shape and the lengths, that the corpus yields a training and a held-out
 * example, and, when the trial fine-tunes, every task whole (templates, fields, labels, metrics,
 * non-empty splits) and the given checkpoint's shape. A trial that fails here can never succeed, so the pod exits with {@code
 * EXIT_INVALID_TRIAL} in about a second instead of failing after minutes of setup or hours of
 * training.
 */
public final class TrialValidator {

  private static final String PRETRAIN = "spec.pretrain";

  private final CorpusStore corpus;

  public TrialValidator(CorpusStore corpus) {
    this.corpus = corpus;
  }

  private static final System.Logger LOG = System.getLogger(TrialValidator.class.getName());

  /**
   * The trial's recipes, every task loaded.
   *
   * @throws InvalidSpecException naming the field at fault
   */
  public ValidTrial validate(TrainingJob job) {
    if (job.getSpec() == null) {
      throw new InvalidSpecException("spec", "spec is required");
    }
    TrialRecipe recipe = TrialRecipe.of(job.getSpec());
    PretrainSpec pretrain = recipe.pretrain();
    if (pretrain.getDataset() == null || pretrain.getDataset().getUri() == null) {
      throw new InvalidSpecException(PRETRAIN + ".dataset", PRETRAIN + ".dataset.uri is required");
    }
    try (Tokenizer tokenizer = tokenizer(pretrain)) {
      checkVocabulary(recipe, tokenizer);
      checkCorpus(recipe, tokenizer);
      FinetuneSpec finetune = job.getSpec().getFinetune();
      if (finetune == null) {
        return new ValidTrial(recipe, null);
      }
      FinetuneRecipe tuning =
          FinetuneRecipe.of(finetune, new TaskLoader(corpus).load(finetune), recipe);
      warnAboutCutTargets(tuning, tokenizer);
      if (tuning.fromCheckpoint()) {
        new GivenCheckpoint(corpus, tuning.checkpoint()).check(recipe.shape());
      }
      return new ValidTrial(recipe, tuning);
    }
  }

  /** The recipes of a valid trial; {@code finetune} is null when the trial only pretrains. */
  public record ValidTrial(TrialRecipe recipe, FinetuneRecipe finetune) {}

  /**
   * Targets longer than the target length are cut, so they can never be decoded exactly: allowed
   * (a long-answer task may accept that), but said aloud.
   */
  private static void warnAboutCutTargets(FinetuneRecipe recipe, Tokenizer tokenizer) {
    TextBatcher batcher = new TextBatcher(tokenizer, recipe.inputLength(), recipe.targetLength());
    for (Task task : recipe.tasks()) {
      long cut =
          task.validation().stream().filter(e -> !batcher.targetFits(e.target())).count();
      if (cut > 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "task {0}: {1} of {2} validation targets are longer than spec.finetune.targetLength"
                + " {3} (EOS included) and are cut, so they cannot score",
            task.name(),
            cut,
            task.validation().size(),
            recipe.targetLength());
      }
    }
  }

  private static Tokenizer tokenizer(PretrainSpec pretrain) {
    try {
      return Tokenizers.fromSpec(pretrain.getTokenizer());
    } catch (DataException | UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidSpecException(
          PRETRAIN + ".tokenizer.path", PRETRAIN + ".tokenizer: " + e.getMessage());
    }
  }

  private static void checkVocabulary(TrialRecipe recipe, Tokenizer tokenizer) {
    int rows = recipe.shape().vocabSize();
    if (rows < tokenizer.vocabSize()) {
      throw new InvalidSpecException(
          "spec.shape.vocabSize",
          "spec.shape.vocabSize "
              + rows
              + " is smaller than the tokenizer's "
              + tokenizer.vocabSize()
              + " ids (sentinels included)");
    }
    int spans = recipe.lengths().noiseSpans();
    if (spans > tokenizer.sentinelCount()) {
      throw new InvalidSpecException(
          PRETRAIN + ".inputLength",
          PRETRAIN
              + ".inputLength "
              + recipe.lengths().inputLength()
              + " makes "
              + spans
              + " corrupted spans per example, but the tokenizer has only "
              + tokenizer.sentinelCount()
              + " sentinels; lower inputLength or meanNoiseSpanLength");
    }
  }

  /** One training and one held-out example, read with a batch of one to stay quick. */
  private void checkCorpus(TrialRecipe recipe, Tokenizer tokenizer) {
    PretrainSpec pretrain = recipe.pretrain();
    PretrainData data =
        new PretrainData(
            corpus,
            pretrain.getDataset(),
            pretrain.getValidation(),
            recipe.pipelineConfig().withBatchSize(1));
    probe(PRETRAIN + ".dataset.uri", pretrain.getDataset(), () -> data.training(tokenizer, null));
    DatasetSpec heldOut =
        pretrain.getValidation() != null ? pretrain.getValidation() : pretrain.getDataset();
    String field =
        pretrain.getValidation() != null ? PRETRAIN + ".validation.uri" : PRETRAIN + ".dataset.uri";
    probe(field, heldOut, () -> data.evaluation(tokenizer));
  }

  private interface PipelineFactory {
    SpanCorruptionPipeline open();
  }

  private static void probe(String field, DatasetSpec dataset, PipelineFactory factory) {
    try (SpanCorruptionPipeline pipeline = factory.open()) {
      if (pipeline.next() == null) {
        throw new InvalidSpecException(
            field, field + " " + dataset.getUri() + ": no text to train or evaluate on");
      }
    } catch (InvalidSpecException e) {
      throw e;
    } catch (DataException | UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidSpecException(field, field + ": " + e.getMessage());
    }
  }
}
