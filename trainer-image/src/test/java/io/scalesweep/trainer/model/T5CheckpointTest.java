package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights saved by name come back into a fresh model exactly; wrong files are refused. */
class T5CheckpointTest {

  private static final io.scalesweep.api.shape.Shape SHAPE =
      new io.scalesweep.api.shape.Shape(2, 1, 32, 48, 8, 4, 2, true, 384);

  @TempDir Path directory;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void savedWeightsReloadIntoAFreshModelAndGiveTheSameLogits() throws IOException {
    T5Model saved = model(1);
    Path file = directory.resolve("step-10.safetensors");
    T5WeightsWriter.write(saved, file);
    T5Model restored = model(2);
    NDArray before = logits(restored);

    HuggingFaceT5Loader.load(restored, file);

    NDArray expected = logits(saved);
    assertThat(before.contentEquals(expected)).as("the fresh model starts different").isFalse();
    assertThat(logits(restored).contentEquals(expected)).isTrue();
  }

  @Test
  void djlReadsTheWrittenFileUnderTheSameNames() throws IOException {
    T5Model saved = model(3);
    Path file = directory.resolve("weights.safetensors");
    T5WeightsWriter.write(saved, file);

    NDList decoded;
    try (InputStream in = Files.newInputStream(file)) {
      decoded = NDList.decode(manager, in);
    }
    Map<String, Parameter> named = saved.namedParameters();
    assertThat(decoded).hasSize(named.size());
    for (NDArray tensor : decoded) {
      assertThat(named.get(tensor.getName()).getArray().contentEquals(tensor))
          .as(tensor.getName())
          .isTrue();
    }
  }

  @Test
  void aCheckpointOfAnotherShapeIsRefusedWithTheReason() throws IOException {
    Path file = directory.resolve("other.safetensors");
    T5WeightsWriter.write(model(4), file);
    T5Model wider = new T5Model(SHAPE.withDFF(64));
    wider.initialize(manager);

    assertThatThrownBy(() -> HuggingFaceT5Loader.load(wider, file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("DenseReluDense.wi.weight has shape [48, 32]");
  }

  @Test
  void missingAndUnknownTensorsAreNamed() throws IOException {
    T5Model saved = model(5);
    NDList tensors = new NDList();
    for (var entry : saved.namedParameters().entrySet()) {
      if (!entry.getKey().equals("decoder.final_layer_norm.weight")) {
        tensors.add(named(entry.getValue().getArray(), entry.getKey()));
      }
    }
    tensors.add(named(manager.zeros(new Shape(3)), "encoder.block.9.layer.0.layer_norm.weight"));
    Path file = write(tensors, "broken.safetensors");

    assertThatThrownBy(() -> HuggingFaceT5Loader.load(model(6), file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("missing [decoder.final_layer_norm.weight]")
        .hasMessageContaining("unexpected [encoder.block.9.layer.0.layer_norm.weight]");
  }

  @Test
  void tiedEmbeddingCopiesStandInForTheSharedTableAndUnusedTensorsAreSkipped() throws IOException {
    // Conversions of the original T5 checkpoints store the table as the embed_tokens/lm_head
    // copies and carry a cross-attention position bias that T5 never uses.
    T5Model saved = model(7);
    NDList tensors = new NDList();
    for (var entry : saved.namedParameters().entrySet()) {
      String name =
          entry.getKey().equals("shared.weight") ? "lm_head.weight" : entry.getKey();
      tensors.add(named(entry.getValue().getArray(), name));
    }
    tensors.add(
        named(
            manager.zeros(new Shape(32, 4)),
            "decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight"));
    Path file = write(tensors, "converted.safetensors");
    T5Model restored = model(8);

    HuggingFaceT5Loader.load(restored, file);

    assertThat(logits(restored).contentEquals(logits(saved))).isTrue();
  }

  @Test
  void shardedCheckpointDirectoriesAreReadThroughTheirIndex() throws IOException {
    T5Model saved = model(9);
    NDList encoder = new NDList();
    NDList rest = new NDList();
    for (var entry : saved.namedParameters().entrySet()) {
      (entry.getKey().startsWith("encoder.") ? encoder : rest)
          .add(named(entry.getValue().getArray(), entry.getKey()));
    }
    write(encoder, "model-00001-of-00002.safetensors");
    write(rest, "model-00002-of-00002.safetensors");
    StringBuilder index = new StringBuilder("{\"weight_map\": {");
    String separator = "";
    for (String name : saved.namedParameters().keySet()) {
      String shard = name.startsWith("encoder.") ? "00001" : "00002";
      index.append(separator)
          .append('"').append(name).append("\": \"model-").append(shard).append("-of-00002.safetensors\"");
      separator = ", ";
    }
    Files.writeString(directory.resolve("model.safetensors.index.json"), index.append("}}").toString());
    T5Model restored = model(10);

    HuggingFaceT5Loader.load(restored, directory);

    assertThat(logits(restored).contentEquals(logits(saved))).isTrue();
  }

  private T5Model model(int seed) {
    manager.getEngine().setRandomSeed(seed);
    T5Model model = new T5Model(SHAPE);
    model.initialize(manager);
    return model;
  }

  private NDArray logits(T5Model model) {
    manager.getEngine().setRandomSeed(99);
    NDArray ids = manager.randomInteger(3, 384, new Shape(2, 7), DataType.INT64);
    NDArray targets = manager.randomInteger(3, 384, new Shape(2, 5), DataType.INT64);
    return model.logits(new ParameterStore(manager, false), ids, null, targets, null, false);
  }

  private NDArray named(NDArray array, String name) {
    NDArray copy = array.duplicate();
    copy.setName(name);
    return copy;
  }

  private Path write(NDList tensors, String name) throws IOException {
    Path file = directory.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      tensors.encode(out, NDList.Encoding.SAFETENSORS);
    }
    return file;
  }
}
