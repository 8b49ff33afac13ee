package io.scalesweep.trainer.train;

import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.trainer.tasks.SyntheticTasks;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of {@link GcPressureIT}'s child JVMs: three tiny trials one after another in one
 * JVM, as {@code scalesweep run} trains a sweep, printing every step's loss and gradient norm and
 * each trial's results as exact bits. With {@code pressure}, a thread forces a collection every
 * millisecond and a listener forces one more after every step, so that any native memory still in
 * use whose Java owner became unreachable is freed while it is read.
 *
 * <p>Arguments: {@code calm|pressure <work folder>}.
 */
public final class GcPressureRun {

  private GcPressureRun() {}

  public static void main(String[] args) throws Exception {
    boolean pressure = args[0].equals("pressure");
    Path work = Path.of(args[1]);
    PrintStream out = System.out;
    AtomicBoolean running = new AtomicBoolean(true);
    Thread collector = new Thread(() -> {
      while (running.get()) {
        System.gc();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }, "gc-pressure");
    collector.setDaemon(true);
    if (pressure) {
      collector.start();
    }
    List<TrainingJob> trials = trials(work);
    for (int i = 0; i < trials.size(); i++) {
      int trial = i;
      TrialResult result =
          new TrialRun(trials.get(i), new LocalTrialOutput(work.resolve("trial-" + i)))
              .listener(ProgressListener.onStep(p -> {
                out.printf(Locale.ROOT, "trial %d %s step %d loss %016x gradNorm %08x%n", trial,
                    p.phase().label(), p.step(), Double.doubleToLongBits(p.loss()),
                    Float.floatToIntBits(p.gradientNorm()));
                if (pressure) {
                  System.gc();
                }
              }))
              .logEvery(1_000_000)
              .run();
      out.printf(Locale.ROOT, "trial %d negLogPerplexity %016x downstream %s skipped %d"
              + " recomputed %d%n", trial, Double.doubleToLongBits(result.getNegLogPerplexity()),
          result.getDownstream(), result.getSkippedSteps(), result.getRecomputedSteps());
    }
    running.set(false);
    long collections = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += gc.getCollectionCount();
    }
    // Not compared: the calm run collects too, only less often.
    out.println("collections " + collections);
  }

  /**
   * A 2+2-layer trial with clipping and gradient accumulation, a 1+3-layer one with shared
   * key/value heads, and a 2+2-layer one that is fine-tuned on boolean expressions and scored by
   * greedy decoding.
   */
  private static List<TrainingJob> trials(Path work) throws IOException {
    Files.createDirectories(work);
    String corpus = TinyTrials.corpus(work, 800, 3).toString();
    SyntheticTasks.Splits bool = SyntheticTasks.generate("boolexpr", 5, 1_000, 60);
    Path train = Files.write(work.resolve("bool-train.jsonl"), bool.train());
    Path validation = Files.write(work.resolve("bool-validation.jsonl"), bool.validation());
    TrainingJob accumulated =
        TinyTrials.job(corpus, 24, 12, "gradientAccumulation: 2", "maxGradNorm: 1.0");
    TrainingJob sharedHeads =
        ManifestReader.parse(
            TinyTrials.manifest(corpus, 24, 12)
                .replace("NL2-DM64-TINY", "EL1-DL3-KV1-TINY")
                .replace("encoderLayers: 2, decoderLayers: 2", "encoderLayers: 1, decoderLayers: 3")
                .replace("numHeads: 4,", "numHeads: 4, kvHeads: 1,"),
            TrainingJob.class);
    TrainingJob finetuned =
        TinyTrials.finetuneJob(
            corpus,
            12,
            "tasks:",
            "  - name: boolexpr",
            "    train: {uri: " + train + "}",
            "    validation: {uri: " + validation + "}",
            "    inputTemplate: 'boolexpr: {expression}'",
            "    targetTemplate: '{label}'",
            "    labels: {'true': 'True', 'false': 'False'}",
            "    metric: accuracy",
            "steps: 16",
            "batchSize: 16",
            "learningRate: 0.005",
            "inputLength: 96",
            "targetLength: 8",
            "checkpointEvery: 8");
    return List.of(accumulated, sharedHeads, finetuned);
  }
}
