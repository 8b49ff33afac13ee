package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scalesweep.api.contract.StorageLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code metrics.jsonl}: one JSON object per logged step, with its {@code phase} ({@code pretrain}
 * or {@code finetune}; each counts its steps from 1). A resumed attempt first drops the lines of
 * steps after its checkpoint, which the killed attempt logged but whose work is redone, so every
 * step appears once and the file reads as one run.
 */
public final class MetricsLog implements ProgressListener {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TrialOutput output;

  public MetricsLog(TrialOutput output) {
    this.output = output;
  }

  @Override
  public void started(TrialRecipe recipe, long fromStep) {
    keepUpTo(Phase.PRETRAIN, fromStep);
  }

  @Override
  public void finetuneStarted(FinetuneRecipe recipe, long fromStep) {
    keepUpTo(Phase.FINETUNE, fromStep);
  }

  /**
   * Keeps the lines of earlier phases and those of this phase up to {@code step}; a later phase's
   * lines go, since its work is redone from the start.
   */
  private void keepUpTo(Phase phase, long step) {
    try {
      if (output.exists(StorageLayout.METRICS_FILE)) {
        output.put(StorageLayout.METRICS_FILE, linesUpTo(phase, step));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rewrite " + output.locate(StorageLayout.METRICS_FILE), e);
    }
  }

  private byte[] linesUpTo(Phase phase, long step) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    String text = new String(output.readAll(StorageLayout.METRICS_FILE), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a line cut short by a kill
      }
      Phase written = phaseOf(node);
      boolean keep =
          written.ordinal() < phase.ordinal()
              || written == phase && node.path("step").asLong(Long.MAX_VALUE) <= step;
      if (keep) {
        kept.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return kept.toByteArray();
  }

  /** Lines written before phases were logged are pretraining's. */
  private static Phase phaseOf(JsonNode line) {
    return line.path("phase").asText("").equals(Phase.FINETUNE.label())
        ? Phase.FINETUNE
        : Phase.PRETRAIN;
  }

  @Override
  public void stepped(Progress p) {
    if (!p.logged()) {
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("phase", p.phase().label());
    line.put("step", p.step());
    line.put("loss", p.loss());
    line.put("meanLoss", p.meanLoss());
    line.put("learningRate", p.learningRate());
    line.put("gradNorm", p.gradientNorm());
    line.put("tokensPerSecond", p.tokensPerSecond());
    line.put("stepsPerSecond", p.stepsPerSecond());
    line.put("trainSeconds", p.trainSeconds());
    line.put("skippedSteps", p.skippedSteps());
    line.put("recomputedSteps", p.recomputedSteps());
    line.put("time", Instant.now().toString());
    try {
      output.append(
          StorageLayout.METRICS_FILE,
          (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot append to " + output.locate(StorageLayout.METRICS_FILE), e);
    }
  }
}
