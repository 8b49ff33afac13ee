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
 * {@code metrics.jsonl}: one JSON object per logged step. A resumed attempt first drops the lines
 * of steps after its checkpoint, which the killed attempt logged but whose work is redone, so every
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
    try {
      if (output.exists(StorageLayout.METRICS_FILE)) {
        output.put(StorageLayout.METRICS_FILE, linesUpTo(fromStep));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rewrite " + output.locate(StorageLayout.METRICS_FILE), e);
    }
  }

  private byte[] linesUpTo(long step) throws IOException {
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
      if (node.path("step").asLong(Long.MAX_VALUE) <= step) {
        kept.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return kept.toByteArray();
  }

  @Override
  public void stepped(Progress p) {
    if (!p.logged()) {
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("step", p.step());
    line.put("loss", p.loss());
    line.put("meanLoss", p.meanLoss());
    line.put("learningRate", p.learningRate());
    line.put("gradNorm", p.gradientNorm());
    line.put("tokensPerSecond", p.tokensPerSecond());
    line.put("stepsPerSecond", p.stepsPerSecond());
    line.put("trainSeconds", p.trainSeconds());
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
