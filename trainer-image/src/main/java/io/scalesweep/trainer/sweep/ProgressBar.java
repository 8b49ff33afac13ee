package io.scalesweep.trainer.sweep;

import io.scalesweep.trainer.tasks.DownstreamScores;
import io.scalesweep.trainer.train.FinetuneRecipe;
import io.scalesweep.trainer.train.Phase;
import io.scalesweep.trainer.train.Progress;
import io.scalesweep.trainer.train.ProgressListener;
import io.scalesweep.trainer.train.TrialRecipe;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One trial's progress for a person watching a local sweep: a bar redrawn in place on a terminal,
 * or a line every tenth of the run when the output is a file or a CI log (where carriage returns
 * would pile up).
 */
final class ProgressBar implements ProgressListener {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 250_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private final String label;
  private long lastDraw;
  private long lastDecile = -1;
  private Phase lastPhase = Phase.PRETRAIN;

  ProgressBar(PrintWriter out, boolean terminal, String label) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
  }

  @Override
  public void started(TrialRecipe recipe, long fromStep) {
    if (fromStep > 0) {
      out.printf(Locale.ROOT, "%s: resuming after step %,d%n", label, fromStep);
      out.flush();
    }
  }

  @Override
  public void finetuneStarted(FinetuneRecipe recipe, long fromStep) {
    if (fromStep > 0) {
      out.printf(Locale.ROOT, "%s: resuming fine-tuning after step %,d%n", label, fromStep);
      out.flush();
    }
  }

  @Override
  public void scored(DownstreamScores scores) {
    out.printf(Locale.ROOT, "%s: downstream %s, average %.2f%n", label,
        scores.scores().entrySet().stream()
            .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
            .collect(Collectors.joining(", ")),
        scores.average());
    out.flush();
  }

  @Override
  public void stepped(Progress p) {
    if (p.phase() != lastPhase) {
      lastPhase = p.phase();
      lastDecile = -1;
    }
    long now = System.nanoTime();
    boolean last = p.step() == p.totalSteps();
    if (terminal) {
      if (last || now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        out.print("\r" + line(p) + (last ? System.lineSeparator() : ""));
        out.flush();
      }
    } else {
      long decile = p.step() * 10 / Math.max(1, p.totalSteps());
      if (decile != lastDecile) {
        lastDecile = decile;
        out.println(line(p));
        out.flush();
      }
    }
  }

  String line(Progress p) {
    double done = (double) p.step() / Math.max(1, p.totalSteps());
    int filled = (int) Math.round(done * WIDTH);
    return String.format(Locale.ROOT, "%s%s [%s%s] %3.0f%%  step %,d/%,d  loss %.3f  %,.0f tok/s  ETA %s",
        label, p.phase() == Phase.FINETUNE ? " fine-tune" : "", "#".repeat(filled), ".".repeat(WIDTH - filled), done * 100, p.step(), p.totalSteps(),
        p.meanLoss(), p.tokensPerSecond(), eta(p.etaSeconds()));
  }

  static String eta(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
