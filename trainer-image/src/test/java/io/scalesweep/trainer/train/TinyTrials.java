package io.scalesweep.trainer.train;

import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small English-like corpus and TrainingJob manifests of a tiny T5 (2+2 layers, d_model 64, byte
 * vocabulary) that trains at a few milliseconds a step on a CPU.
 */
final class TinyTrials {

  private static final String[] SUBJECTS = {
    "the cat", "a dog", "my friend", "the old man", "a small bird", "the teacher", "our neighbour"
  };
  private static final String[] VERBS = {"sees", "likes", "finds", "carries", "watches", "paints"};
  private static final String[] OBJECTS = {
    "a red ball", "the blue house", "an apple", "the morning paper", "a green boat", "the garden"
  };
  private static final String[] ENDINGS = {
    " in the park.",
    " every morning.",
    " near the river.",
    ".",
    " after dinner.",
    " with great care."
  };

  private TinyTrials() {}

  /** {@code documents} lines of three to six generated sentences, the same for the same seed. */
  static Path corpus(Path dir, int documents, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    for (int d = 0; d < documents; d++) {
      int sentences = 3 + random.nextInt(4);
      for (int s = 0; s < sentences; s++) {
        String sentence =
            pick(random, SUBJECTS)
                + " "
                + pick(random, VERBS)
                + " "
                + pick(random, OBJECTS)
                + pick(random, ENDINGS);
        text.append(Character.toUpperCase(sentence.charAt(0)))
            .append(sentence.substring(1))
            .append(' ');
      }
      text.append('\n');
    }
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, text);
    return file;
  }

  /** The manifest text of a tiny trial; {@code extra} lines are added under {@code pretrain}. */
  static String manifest(String datasetUri, int steps, int checkpointEvery, String... extra) {
    StringBuilder pretrain = new StringBuilder();
    for (String line : extra) {
      pretrain.append("    ").append(line).append('\n');
    }
    return """
        apiVersion: scalesweep.io/v1alpha1
        kind: TrainingJob
        metadata: {name: tiny}
        spec:
          code: NL2-DM64-TINY
          shape: {encoderLayers: 2, decoderLayers: 2, dModel: 64, dFF: 128, dKV: 16, numHeads: 4,
                  vocabSize: 384}
          pretrain:
            dataset: {uri: %s}
            steps: %d
            batchSize: 8
            inputLength: 64
            checkpointEvery: %d
            evalBatches: 2
            seed: 7
        %s"""
        .formatted(datasetUri, steps, checkpointEvery, pretrain);
  }

  static TrainingJob job(String datasetUri, int steps, int checkpointEvery, String... extra) {
    return ManifestReader.parse(
        manifest(datasetUri, steps, checkpointEvery, extra), TrainingJob.class);
  }

  /**
   * A tiny trial that pretrains for {@code pretrainSteps} and then fine-tunes as {@code finetune}
   * says: the lines of a {@code spec.finetune} block, without its indentation.
   */
  static TrainingJob finetuneJob(String datasetUri, int pretrainSteps, String... finetune) {
    return finetuneJob(datasetUri, pretrainSteps, List.of(), finetune);
  }

  /** As {@link #finetuneJob(String, int, String...)}, {@code pretrain} lines added under it. */
  static TrainingJob finetuneJob(
      String datasetUri, int pretrainSteps, List<String> pretrain, String... finetune) {
    StringBuilder block = new StringBuilder("  finetune:\n");
    for (String line : finetune) {
      block.append("    ").append(line).append('\n');
    }
    String manifest =
        manifest(datasetUri, pretrainSteps, pretrainSteps, pretrain.toArray(String[]::new));
    return ManifestReader.parse(manifest + block, TrainingJob.class);
  }

  private static String pick(SplittableRandom random, String[] options) {
    return options[random.nextInt(options.length)];
  }
}
