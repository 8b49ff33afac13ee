package io.scalesweep.trainer.train;

import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.tasks.DownstreamScores;
import io.scalesweep.trainer.tasks.Task;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Human-readable progress on the console: one line per logged step, checkpoint and result. */
public final class ProgressReporter implements ProgressListener {

  private final PrintWriter out;

  public ProgressReporter(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void started(TrialRecipe recipe, long fromStep) {
    print(
        String.format(
            Locale.ROOT,
            "training %s: %,d params, %s input / %d target tokens, batch %d (%d x %d), %,d steps"
                + "%s%s",
            recipe.code(),
            recipe.params(),
            recipe.lengths().inputLength(),
            recipe.lengths().targetLength(),
            recipe.batchSize(),
            recipe.accumulation(),
            recipe.microBatch(),
            recipe.steps(),
            // fp32 says nothing, as before the setting existed
            recipe.precision() == Precision.MIXED_FP16 ? ", mixed-fp16" : "",
            fromStep > 0 ? String.format(Locale.ROOT, ", resuming after step %,d", fromStep) : ""));
  }

  @Override
  public void finetuneStarted(FinetuneRecipe recipe, long fromStep) {
    print(
        String.format(
            Locale.ROOT,
            "fine-tuning on %s: %s, batch %d, lr %.1e, %d input / %d target tokens, %,d steps%s",
            recipe.tasks().stream().map(Task::name).collect(Collectors.joining(", ")),
            recipe.fromCheckpoint() ? "from " + recipe.checkpoint() : "from the pretrained model",
            recipe.batchSize(),
            recipe.learningRate(),
            recipe.inputLength(),
            recipe.targetLength(),
            recipe.steps(),
            fromStep > 0 ? String.format(Locale.ROOT, ", resuming after step %,d", fromStep) : ""));
  }

  @Override
  public void stepped(Progress p) {
    if (!p.logged()) {
      return;
    }
    print(
        String.format(
            Locale.ROOT,
            "%sstep %,d/%,d  loss %.4f (mean %.4f)  lr %.2e  |g| %.3g  %,.0f tok/s  %.2f step/s "
                + " trained %s  ETA %s",
            p.phase() == Phase.FINETUNE ? "fine-tune " : "",
            p.step(),
            p.totalSteps(),
            p.loss(),
            p.meanLoss(),
            p.learningRate(),
            p.gradientNorm(),
            p.tokensPerSecond(),
            p.stepsPerSecond(),
            duration(p.trainSeconds()),
            duration(p.etaSeconds())));
  }

  @Override
  public void warned(Phase phase, long step, String message) {
    print(
        String.format(
            Locale.ROOT,
            "WARNING: %sstep %,d: %s",
            phase == Phase.FINETUNE ? "fine-tune " : "",
            step,
            message));
  }

  @Override
  public void checkpointed(long step, String location) {
    print(String.format(Locale.ROOT, "checkpoint step %,d complete: %s", step, location));
  }

  @Override
  public void evaluated(HeldOutEvaluator.Evaluation e) {
    print(
        String.format(
            Locale.ROOT,
            "held-out: negLogPerplexity %.4f over %,d target tokens (%d batches)",
            e.negLogPerplexity(),
            e.targetTokens(),
            e.batches()));
  }

  @Override
  public void scored(DownstreamScores s) {
    print(
        String.format(
            Locale.ROOT,
            "downstream: %s; average %.2f (%,d validation examples decoded in %s)",
            s.scores().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")),
            s.average(),
            s.examples(),
            duration(s.seconds())));
  }

  @Override
  public void finished(TrialResult r) {
    StringBuilder line = new StringBuilder("done: ");
    if (r.getSteps() != null && r.getSteps() > 0) {
      line.append(
          String.format(
              Locale.ROOT,
              "%,d steps, final loss %.4f, %,.0f tok/s, ",
              r.getSteps(),
              r.getFinalLoss(),
              r.getTokensPerSecond()));
    }
    line.append(String.format(Locale.ROOT, "negLogPerplexity %.4f", r.getNegLogPerplexity()));
    if (r.getDownstreamAverage() != null) {
      line.append(String.format(Locale.ROOT, ", downstream average %.2f", r.getDownstreamAverage()));
    }
    print(line.append(" on ").append(r.getDevice()).toString());
  }

  private void print(String line) {
    out.println(line);
    out.flush();
  }

  /** {@code 1d 02:03:04}, {@code 0:01:05}. */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    long days = s / 86_400;
    String clock =
        String.format(Locale.ROOT, "%d:%02d:%02d", s % 86_400 / 3600, s % 3600 / 60, s % 60);
    return days > 0 ? days + "d " + clock : clock;
  }
}
