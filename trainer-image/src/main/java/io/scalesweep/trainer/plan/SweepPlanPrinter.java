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
    }
    ObjectNode totals = root.putObject("totals");
    totals.put("trials", plan.rows().size());
    totals.put("params", plan.totalParams());
    totals.put("pretrainFlops", plan.totalPretrainFlops());
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
    String format = "%-" + codeWidth + "s  %-" + nameWidth + "s  %3s %3s %7s %7s %5s %5s %4s %3s %6s %15s %10s%n";
    sb.append(String.format(Locale.ROOT, format,
        "CODE", "NAME", "ENC", "DEC", "D_MODEL", "D_FF", "D_KV", "HEADS", "KV", "SKV", "VOCAB", "PARAMS", "FLOPS/STEP"));
    for (SweepPlan.Row row : plan.rows()) {
      Shape s = row.trial().shape();
      sb.append(String.format(Locale.ROOT, format,
          row.trial().code(), row.trial().name(), s.encoderLayers(), s.decoderLayers(), s.dModel(), s.dFF(), s.dKV(),
          s.numHeads(), s.kvHeads(), s.tiedKV() ? "yes" : "no", s.vocabSize(),
          String.format(Locale.ROOT, "%,d", row.params()), scientific(row.flopsPerStep())));
    }
    sb.append(String.format(Locale.ROOT,
        "%nTotal: %d trials, %,d parameters, %s FLOPs of pretraining (%,d steps each)%n",
        plan.rows().size(), plan.totalParams(), scientific(plan.totalPretrainFlops()), plan.steps()));
    return sb.toString();
  }

  static String scientific(double v) {
    return String.format(Locale.ROOT, "%.3e", v);
  }
}
