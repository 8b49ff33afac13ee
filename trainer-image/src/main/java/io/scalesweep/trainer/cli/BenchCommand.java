package io.scalesweep.trainer.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.Variant;
import io.scalesweep.api.v1alpha1.Optimizer;
import io.scalesweep.api.v1alpha1.Precision;
import io.scalesweep.trainer.train.PeakFlops;
import io.scalesweep.trainer.train.ThroughputBench;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalesweep bench}: measured training throughput of one shape on this machine. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure training throughput of one model shape: full training steps (forward, backward, "
          + "optimizer update) on random tokens, timed after warm-up.",
      "",
      "Prints tokens/s (input plus target tokens), steps/s, ms/step, the exact parameter count, "
          + "the achieved GFLOP/s (analytic training FLOPs per second) and the model FLOPs "
          + "utilisation (MFU): those FLOPs over the device's dense peak for the precision, from "
          + "a table of NVIDIA GPUs or --peak-tflops. The Hugging Face counterpart is "
          + "trainer-image/src/test/python/bench_hf_t5.py, same options."
    },
    footer = {
      "",
      "Example: scalesweep bench --shape NL2-TI --batch 8 --input-length 128 --target-length 32"
          + " --threads 2",
      "         scalesweep bench --shape BA --device gpu --precision mixed-fp16"
    })
public class BenchCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    table,
    json
  }

  @Option(
      names = "--shape",
      defaultValue = "TI",
      paramLabel = "CODE",
      description =
          "Base code or variant in the paper's notation: TI, SM, NL2-TI, DM2K-BA ... (default:"
              + " ${DEFAULT-VALUE}).")
  String shape;

  @Option(
      names = "--vocab",
      defaultValue = "32128",
      paramLabel = "N",
      description =
          "Vocabulary rows; 32128 is T5's, 384 the byte tokenizer's (default: ${DEFAULT-VALUE}).")
  int vocab;

  @Option(
      names = "--batch",
      defaultValue = "8",
      paramLabel = "N",
      description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--input-length",
      defaultValue = "128",
      paramLabel = "N",
      description = "Encoder tokens (default: ${DEFAULT-VALUE}).")
  int inputLength;

  @Option(
      names = "--target-length",
      defaultValue = "32",
      paramLabel = "N",
      description = "Decoder tokens (default: ${DEFAULT-VALUE}).")
  int targetLength;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Intra-op (and inter-op) threads of libtorch; default: libtorch's choice.")
  Integer threads;

  @Option(
      names = "--optimizer",
      defaultValue = "adafactor",
      paramLabel = "NAME",
      description = "adafactor or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "STEPS",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description =
          "And more untimed steps until this much time has passed (default: ${DEFAULT-VALUE}): the"
              + " JVM compiles its hot code in its first seconds, on the cores the steps use.")
  double warmupSeconds;

  @Option(
      names = "--steps",
      defaultValue = "5",
      paramLabel = "STEPS",
      description = "Timed steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      paramLabel = "NAME",
      description =
          "fp32 or mixed-fp16 (fp16 matrix products, fp32 master weights, loss scaling), as a"
              + " recipe's spec.pretrain.precision (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      description =
          "cpu or gpu (the first GPU); default: the engine's choice, a GPU when one is visible.")
  String device;

  @Option(
      names = "--peak-tflops",
      paramLabel = "TFLOPS",
      description =
          "The device's peak TFLOP/s for MFU, overriding the table of known GPUs; needed for an"
              + " MFU on the CPU or an unknown GPU.")
  Double peakTflops;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Variant variant = Variant.parse(shape);
    Shape resolved = variant.shape(variant.base().shape().withVocabSize(vocab));
    positive("--batch", batch);
    positive("--input-length", inputLength);
    positive("--target-length", targetLength);
    positive("--steps", steps);
    if (warmup < 0) {
      throw new InvalidSpecException("--warmup", "--warmup must be 0 or more");
    }
    if (!(warmupSeconds >= 0)) {
      throw new InvalidSpecException(
          "--warmup-seconds", "--warmup-seconds must be 0 or more, got " + warmupSeconds);
    }
    Optimizer kind =
        switch (optimizer.toLowerCase(Locale.ROOT)) {
          case "adafactor" -> Optimizer.ADAFACTOR;
          case "adamw" -> Optimizer.ADAMW;
          default ->
              throw new InvalidSpecException(
                  "--optimizer", "--optimizer must be adafactor or adamw, got " + optimizer);
        };
    Precision arithmetic =
        Precision.ofSpelling(precision.toLowerCase(Locale.ROOT))
            .orElseThrow(
                () ->
                    new InvalidSpecException(
                        "--precision",
                        "--precision must be " + Precision.spellings() + ", got " + precision));
    if (peakTflops != null && !(peakTflops > 0)) {
      throw new InvalidSpecException(
          "--peak-tflops", "--peak-tflops must be a positive number, got " + peakTflops);
    }
    useThreads();
    Device chosen = device();
    ThroughputBench.Result r =
        ThroughputBench.run(
            new ThroughputBench.Config(
                resolved, batch, inputLength, targetLength, kind, warmup, warmupSeconds, steps, 0,
                arithmetic,
                chosen));
    Utilisation mfu =
        utilisation(r, arithmetic, chosen != null ? chosen : Engine.getInstance().defaultDevice());
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(json(variant, r, arithmetic, mfu));
    } else {
      out.printf(
          Locale.ROOT,
          "bench %s (vocab %d): %,d params, batch %d, %d input / %d target tokens, %d threads,"
              + " %s%n",
          variant.code(),
          vocab,
          r.params(),
          batch,
          inputLength,
          targetLength,
          JniUtils.getNumThreads(),
          r.device());
      out.printf(
          Locale.ROOT,
          "  %d warm-up + %d timed steps, %s, %s%s%n",
          r.warmup(),
          steps,
          kind.name().toLowerCase(Locale.ROOT),
          arithmetic.spelling(),
          r.skippedSteps() == 0 ? "" : ", " + r.skippedSteps() + " skipped (fp16 overflow)");
      out.printf(Locale.ROOT, "  tokens/s   %,.1f%n", r.tokensPerSecond());
      out.printf(Locale.ROOT, "  steps/s    %.3f%n", r.stepsPerSecond());
      out.printf(Locale.ROOT, "  ms/step    %.1f%n", r.msPerStep());
      out.printf(
          Locale.ROOT,
          "  GFLOP/s    %.1f (%.1f GFLOP per step)%n",
          r.gflopsPerSecond(),
          r.flopsPerStep() / 1e9);
      out.printf(Locale.ROOT, "  MFU        %s%n", mfu.describe());
    }
    out.flush();
    return 0;
  }

  /** The device asked for, checked against what the engine sees; null for the engine's choice. */
  private Device device() {
    if (device == null) {
      return null;
    }
    return switch (device.toLowerCase(Locale.ROOT)) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        int gpus = Engine.getInstance().getGpuCount();
        if (gpus < 1) {
          throw new InvalidSpecException(
              "--device",
              "--device gpu, but the engine sees no GPU (check the CUDA libraries:"
                  + " PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR)");
        }
        yield Device.gpu();
      }
      default ->
          throw new InvalidSpecException("--device", "--device must be cpu or gpu, got " + device);
    };
  }

  /**
   * Model FLOPs utilisation: the analytic training FLOPs per second over the device's peak.
   *
   * @param peak null when no peak is known, {@code why} then says so
   * @param mfu null when no peak is known
   */
  record Utilisation(String deviceName, PeakFlops.Peak peak, Double mfu, String why) {
    String describe() {
      if (mfu == null) {
        return "n/a: " + why;
      }
      return String.format(
          Locale.ROOT, "%.2f%% of %,.1f TFLOP/s (%s: %s)", 100 * mfu, peak.tflops(), deviceName,
          peak.source());
    }
  }

  private Utilisation utilisation(ThroughputBench.Result r, Precision arithmetic, Device used) {
    String name =
        used.isGpu()
            ? PeakFlops.gpuName(used).orElse("GPU " + used.getDeviceId() + " (name unknown)")
            : used.getDeviceType().toLowerCase(Locale.ROOT);
    PeakFlops.Peak peak;
    if (peakTflops != null) {
      peak = new PeakFlops.Peak(peakTflops, "--peak-tflops");
    } else if (!used.isGpu()) {
      return new Utilisation(
          name, null, null, "no peak is known for a CPU; give its peak with --peak-tflops");
    } else {
      peak = PeakFlops.of(name, arithmetic, PeakFlops.tf32FromEnvironment()).orElse(null);
      if (peak == null) {
        return new Utilisation(
            name, null, null, "no peak is known for " + name + "; give it with --peak-tflops");
      }
    }
    return new Utilisation(name, peak, r.gflopsPerSecond() / (peak.tflops() * 1000), null);
  }

  /** Before the engine starts, so the inter-op pool is sized too; after, intra-op only. */
  private void useThreads() {
    if (threads == null) {
      return;
    }
    positive("--threads", threads);
    System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
    System.setProperty("ai.djl.pytorch.num_interop_threads", threads.toString());
    Engine.getInstance();
    JniUtils.setNumThreads(threads);
  }

  private String json(
      Variant variant, ThroughputBench.Result r, Precision arithmetic, Utilisation mfu) {
    ObjectNode node = new ObjectMapper().valueToTree(r);
    node.put("shape", variant.code());
    node.put("vocab", vocab);
    node.put("batch", batch);
    node.put("inputLength", inputLength);
    node.put("targetLength", targetLength);
    node.put("threads", JniUtils.getNumThreads());
    node.put("steps", steps);
    node.put("precision", arithmetic.spelling());
    node.put("deviceName", mfu.deviceName());
    node.put("peakTflops", mfu.peak() == null ? null : mfu.peak().tflops());
    node.put("peakSource", mfu.peak() == null ? null : mfu.peak().source());
    node.put("mfu", mfu.mfu());
    node.put("mfuNote", mfu.describe());
    return node.toString();
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new InvalidSpecException(option, option + " must be at least 1, got " + value);
    }
  }
}
