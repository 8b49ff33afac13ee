package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.scalesweep.api.shape.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DJL model, loaded with the weights of a tiny random Hugging Face T5ForConditionalGeneration,
 * reproduces its logits, loss and greedy decoding on a padded batch.
 */
class HuggingFaceT5ParityTest {

  private NDManager manager;
  private T5Model model;
  private ParameterStore parameterStore;

  @BeforeEach
  void loadTheReferenceWeights() throws IOException {
    manager = NDManager.newBaseManager();
    Shape shape = HuggingFaceT5Loader.readShape(ParityFixture.config());
    model = new T5Model(shape);
    model.initialize(manager);
    HuggingFaceT5Loader.load(model, ParityFixture.weights());
    parameterStore = new ParameterStore(manager, false);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void theConfigResolvesToTheFixturesShape() throws IOException {
    assertThat(HuggingFaceT5Loader.readShape(ParityFixture.config()))
        .isEqualTo(new Shape(2, 3, 32, 48, 16, 4, 4, false, 384));
  }

  @Test
  void logitsMatchTheReferenceImplementation() throws IOException {
    NDArray expected = ParityFixture.batch("logits", manager);
    NDArray logits = logits();

    assertThat(logits.getShape()).isEqualTo(expected.getShape());
    float scale = expected.abs().max().getFloat();
    float worst = logits.sub(expected).abs().max().getFloat();
    System.out.printf("parity: max |logit difference| %.3g, relative to max |logit| %.3g%n", worst, worst / scale);
    assertThat(worst / scale).isLessThan(1e-4f);
  }

  @Test
  void lossAndTokenCountMatchTheReferenceImplementation() throws IOException {
    NDArray labels = ParityFixture.batch("labels", manager);
    TokenLoss loss = T5Loss.crossEntropy(logits(), labels);

    float expectedLoss = ParityFixture.batch("loss", manager).getFloat();
    long expectedTokens = ParityFixture.batch("target_tokens", manager).getLong();
    System.out.printf("parity: loss %.7f, reference %.7f%n", loss.mean().getFloat(), expectedLoss);
    assertThat(loss.tokenCount()).isEqualTo(expectedTokens);
    assertThat(loss.mean().getFloat()).isCloseTo(expectedLoss, within(1e-5f * expectedLoss));
    assertThat(loss.sumValue() / loss.tokenCount()).isCloseTo(expectedLoss, within(1e-4));
  }

  @Test
  void greedyDecodingMatchesTheReferenceWithAndWithoutTheCache() throws IOException {
    long[][] expected = rows(ParityFixture.batch("greedy", manager));
    NDArray inputIds = ParityFixture.batch("input_ids", manager);
    NDArray inputMask = ParityFixture.batch("attention_mask", manager);
    GreedyDecoder decoder = new GreedyDecoder(model, parameterStore);
    int steps = expected[0].length - 1;

    assertThat(decoder.decode(inputIds, inputMask, steps, false)).isDeepEqualTo(expected);
    assertThat(decoder.decode(inputIds, inputMask, steps, true)).isDeepEqualTo(expected);
  }

  @Test
  void relativePositionBucketsMatchTheReferenceOverLongDistances() throws IOException {
    long[] relative = ParityFixture.batch("relative_positions", manager).toLongArray();
    long[] bidirectional = ParityFixture.batch("buckets_bidirectional", manager).toLongArray();
    long[] causal = ParityFixture.batch("buckets_causal", manager).toLongArray();

    for (int i = 0; i < relative.length; i++) {
      int position = Math.toIntExact(relative[i]);
      assertThat(RelativePositionBuckets.bucket(position, true))
          .as("bidirectional bucket of %d", position)
          .isEqualTo(bidirectional[i]);
      assertThat(RelativePositionBuckets.bucket(position, false))
          .as("causal bucket of %d", position)
          .isEqualTo(causal[i]);
    }
  }

  @Test
  void djlsOwnSafetensorsDecoderReadsTheSameTensorsAsTheStreamingReader() throws IOException {
    NDList decoded;
    try (InputStream in = Files.newInputStream(ParityFixture.weights())) {
      decoded = NDList.decode(manager, in);
    }
    Map<String, Parameter> named = model.namedParameters();

    assertThat(decoded).hasSize(named.size());
    for (NDArray tensor : decoded) {
      // Tensor names survive in NDArray.getName(); the model's copy must be equal.
      assertThat(named).containsKey(tensor.getName());
      assertThat(named.get(tensor.getName()).getArray().contentEquals(tensor))
          .as(tensor.getName())
          .isTrue();
    }
  }

  @Test
  void loadedWeightsOwnTheirMemoryAfterTheReadBuffersAreCollected() throws IOException {
    // An array made from a Java buffer on the CPU points into that buffer, and toDevice(cpu,
    // copy=true) returns the same storage: a loader that kept such a view had its weights
    // overwritten once the garbage collector freed the buffers and the memory was reused.
    for (int round = 0; round < 5; round++) {
      System.gc();
      ByteBuffer reuse = ByteBuffer.allocateDirect(1 << 20);
      while (reuse.hasRemaining()) {
        reuse.put((byte) 0x7f);
      }
      sleep();
    }
    try (SafetensorsFile file = SafetensorsFile.open(ParityFixture.weights())) {
      for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
        NDArray expected = file.read(entry.getKey(), manager);
        assertThat(entry.getValue().getArray().contentEquals(expected)).as(entry.getKey()).isTrue();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private NDArray logits() throws IOException {
    return model.logits(
        parameterStore,
        ParityFixture.batch("input_ids", manager),
        ParityFixture.batch("attention_mask", manager),
        ParityFixture.batch("decoder_input_ids", manager),
        ParityFixture.batch("decoder_attention_mask", manager),
        false);
  }

  private static long[][] rows(NDArray matrix) {
    int rows = Math.toIntExact(matrix.getShape().get(0));
    int columns = Math.toIntExact(matrix.getShape().get(1));
    long[] flat = matrix.toLongArray();
    long[][] out = new long[rows][columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, r * columns, out[r], 0, columns);
    }
    return out;
  }
}
