package io.scalesweep.trainer.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scalesweep.api.shape.Shape;
import java.util.Locale;

/** Renders a {@link SweepPlan} as an aligned table for people or as JSON for tools. */
public final class SweepPlanPrinter {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SweepPlanPrinter() {}

  public static String json(SweepPlan plan) {
    ObjectNode root = JSON.createObjectNode();
    root.put("sweep", plan.sweep());
    root.put("batchSize", plan.batchSize());
    root.put("inputLength", plan.lengths().inputLength());
    root.put("targetLength", plan.lengths().targetLength());
    ArrayNode trials = root.putArray("trials");
    for (SweepPlan.Row row : plan.rows()) {
      ObjectNode t = trials.addObject();
      t.put("name", row.trial().name());
      t.put("code", row.trial().code());
      t.set("shape", JSON.valueToTree(row.trial().shape()));
      t.put("params", row.params());
      t.put("flops", row.flopsPerStep());
      t.put("gpus", row.gpus());
      t.put("resources", ruleName(row));
      GpuHours h = row.gpuHours();
      if (h.hours() == null) {
        t.putNull("gpuHours");
      } else {
        t.put("gpuHours", h.hours());
      }
      ObjectNode throughput = t.putObject("throughput");
      throughput.put("source", h.source().name().toLowerCase(Locale.ROOT));
      if (h.tokensPerSecond() > 0) {
        throughput.put(h.source() == GpuHours.Source.MEASURED ? "tokensPerSecond" : "tokensPerSecondPerGpu", h.tokensPerSecond());
      }
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("trials", plan.rows().size());
    totals.put("params", plan.totalParams());
    totals.put("pretrainFlops", plan.totalPretrainFlops());
    totals.put("gpuHours", plan.totalGpuHours());
    totals.put("trialsWithoutGpuHours", plan.trialsWithoutEstimate());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String table(SweepPlan plan) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Sweep %s: %d trials; FLOPs per step at batch %d, %d input / %d target tokens%n%n",
        plan.sweep(), plan.rows().size(), plan.batchSize(), plan.lengths().inputLength(), plan.lengths().targetLength()));
    int codeWidth = Math.max(4, plan.rows().stream().mapToInt(r -> r.trial().code().length()).max().orElse(0));
    int nameWidth = Math.max(4, plan.rows().stream().mapToInt(r -> r.trial().name().length()).max().orElse(0));
    int ruleWidth = plan.rows().stream().mapToInt(r -> ruleName(r).length()).max().orElse(0);
    String format = "%-" + codeWidth + "s  %-" + nameWidth + "s  %3s %3s %7s %7s %5s %5s %4s %3s %6s %15s %10s %4s  %-"
        + Math.max(9, ruleWidth) + "s %9s  %s%n";
    sb.append(String.format(Locale.ROOT, format,
        "CODE", "NAME", "ENC", "DEC", "D_MODEL", "D_FF", "D_KV", "HEADS", "KV", "SKV", "VOCAB", "PARAMS", "FLOPS/STEP",
        "GPUS", "RESOURCES", "GPU-HOURS", "THROUGHPUT"));
    for (SweepPlan.Row row : plan.rows()) {
      Shape s = row.trial().shape();
      sb.append(String.format(Locale.ROOT, format,
          row.trial().code(), row.trial().name(), s.encoderLayers(), s.decoderLayers(), s.dModel(), s.dFF(), s.dKV(),
          s.numHeads(), s.kvHeads(), s.tiedKV() ? "yes" : "no", s.vocabSize(),
          String.format(Locale.ROOT, "%,d", row.params()), scientific(row.flopsPerStep()),
          row.gpus(), ruleName(row), hours(row.gpuHours().hours()), throughput(row.gpuHours())));
    }
    sb.append(String.format(Locale.ROOT,
        "%nTotal: %d trials, %,d parameters, %s FLOPs of pretraining (%,d steps each)%n",
        plan.rows().size(), plan.totalParams(), scientific(plan.totalPretrainFlops()), plan.steps()));
    long unknown = plan.trialsWithoutEstimate();
    String how = "set resources.tokensPerSecondPerGpu (or a byShape rule's), or pass --catalog of a run that trained the shapes";
    if (unknown == plan.rows().size()) {
      sb.append("GPU-hours of pretraining: not estimated; ").append(how).append(String.format(Locale.ROOT, "%n"));
      return sb.toString();
    }
    sb.append(String.format(Locale.ROOT,
        "GPU-hours of pretraining: %,.1f (%,d steps x %,d tokens per step over each trial's THROUGHPUT)%n",
        plan.totalGpuHours(), plan.steps(), plan.tokensPerStep()));
    if (unknown > 0) {
      sb.append(String.format(Locale.ROOT, "  not counted: %d trials on GPUs without a throughput; %s%n", unknown, how));
    }
    return sb.toString();
  }

  /** Which resources a trial gets: its byShape rule, or the sweep's plain resources. */
  static String ruleName(SweepPlan.Row row) {
    return row.rule() < 0 ? "default" : "byShape[" + row.rule() + "]";
  }

  private static String hours(Double h) {
    return h == null ? "-" : String.format(Locale.ROOT, "%,.1f", h);
  }

  /** The figure a trial's GPU-hours came from, so a reader can tell a guess from a measurement. */
  static String throughput(GpuHours h) {
    return switch (h.source()) {
      case MEASURED -> String.format(Locale.ROOT, "%,.0f tok/s measured (catalog)", h.tokensPerSecond());
      case RULE -> String.format(Locale.ROOT, "%,.0f tok/s/GPU (rule)", h.tokensPerSecond());
      case DEFAULT -> String.format(Locale.ROOT, "%,.0f tok/s/GPU (resources)", h.tokensPerSecond());
      case CPU -> "cpu";
      case NONE -> "-";
    };
  }

  static String scientific(double v) {
    return String.format(Locale.ROOT, "%.3e", v);
  }
}
