package io.scalesweep.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shared heads (SH) and tied key-values (SKV) are what the paper defines them to be: equal to a
 * plain multi-head attention whose key/value weights are repeated per group, or identical.
 */
class T5AttentionTest {

  private static final int D_MODEL = 16;
  private static final int HEADS = 4;
  private static final int D_KV = 8;

  private NDManager manager;
  private ParameterStore parameterStore;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    manager.getEngine().setRandomSeed(7);
    parameterStore = new ParameterStore(manager, false);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void eachSharedKeyValueHeadServesAContiguousGroupOfQueryHeads() {
    T5Attention shared = attention(2, false);
    T5Attention plain = attention(HEADS, false);
    Map<String, Parameter> sh = names(shared);
    Map<String, Parameter> mh = names(plain);
    copy(sh.get("q"), mh.get("q"));
    copy(sh.get("o"), mh.get("o"));
    // Query heads 0,1 use kv head 0; heads 2,3 use kv head 1.
    Weights.set(mh.get("k"), repeatHeads(sh.get("k"), 2, 2));
    Weights.set(mh.get("v"), repeatHeads(sh.get("v"), 2, 2));

    NDArray x = manager.randomNormal(new Shape(2, 5, D_MODEL));
    NDArray source = manager.randomNormal(new Shape(2, 7, D_MODEL));
    NDArray expected = plain.forward(parameterStore, x, source, null, false);
    NDArray actual = shared.forward(parameterStore, x, source, null, false);

    assertThat(actual.getShape()).isEqualTo(new Shape(2, 5, D_MODEL));
    assertThat(actual.allClose(expected, 1e-5, 1e-6, false)).isTrue();
    // And the grouping matters: pairing heads the other way round gives something else.
    Weights.set(mh.get("k"), repeatHeadsInterleaved(sh.get("k"), 2, 2));
    assertThat(plain.forward(parameterStore, x, source, null, false).allClose(actual, 1e-3, 1e-4, false))
        .isFalse();
  }

  @Test
  void tiedKeyValuesUseOneProjectionAsKeysAndAsValues() {
    T5Attention tied = attention(HEADS, true);
    T5Attention plain = attention(HEADS, false);
    Map<String, Parameter> skv = names(tied);
    Map<String, Parameter> mh = names(plain);
    assertThat(skv).containsOnlyKeys("q", "kv", "o");
    copy(skv.get("q"), mh.get("q"));
    copy(skv.get("o"), mh.get("o"));
    copy(skv.get("kv"), mh.get("k"));
    copy(skv.get("kv"), mh.get("v"));

    NDArray x = manager.randomNormal(new Shape(3, 4, D_MODEL));
    NDArray bias = manager.randomNormal(new Shape(1, HEADS, 4, 4));

    assertThat(
            tied.forward(parameterStore, x, x, bias, false)
                .allClose(plain.forward(parameterStore, x, x, bias, false), 1e-5, 1e-6, false))
        .isTrue();
  }

  @Test
  void logitsAreNotScaledByTheHeadWidth() {
    // One head, identity-like projections: the attention weights are softmax(q.k) exactly.
    T5Attention single = new T5Attention(2, 1, 1, 2, false, 0f);
    single.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 2));
    Map<String, Parameter> p = names(single);
    Weights.set(p.get("q"), new float[] {1, 0, 0, 1});
    Weights.set(p.get("k"), new float[] {1, 0, 0, 1});
    Weights.set(p.get("v"), new float[] {1, 0, 0, 1});
    Weights.set(p.get("o"), new float[] {1, 0, 0, 1});
    NDArray x = manager.create(new float[] {3, 0, 0, 1}, new Shape(1, 2, 2));

    float[] out = single.forward(parameterStore, x, x, null, false).toFloatArray();

    // Query 0 = (3,0): logits 9 and 0, no division by sqrt(2).
    double w = Math.exp(9) / (Math.exp(9) + 1);
    assertThat((double) out[0]).isCloseTo(3 * w, org.assertj.core.api.Assertions.within(1e-5));
    assertThat((double) out[1]).isCloseTo(1 - w, org.assertj.core.api.Assertions.within(1e-5));
  }

  private T5Attention attention(int kvHeads, boolean tied) {
    T5Attention attention = new T5Attention(D_MODEL, HEADS, kvHeads, D_KV, tied, 0f);
    attention.initialize(manager, DataType.FLOAT32, new Shape(1, 1, D_MODEL));
    return attention;
  }

  private static Map<String, Parameter> names(T5Attention attention) {
    Map<String, Parameter> names = new java.util.LinkedHashMap<>();
    BiConsumer<String, Parameter> visitor =
        (name, parameter) -> names.put(name.replace(".weight", ""), parameter);
    attention.visitParameters("", visitor);
    return names;
  }

  private static void copy(Parameter from, Parameter to) {
    Weights.set(to, from.getArray().toFloatArray());
  }

  /** Rows of kv head g repeated for the query heads g*group .. g*group+group-1. */
  private static float[] repeatHeads(Parameter kv, int kvHeads, int group) {
    float[] in = kv.getArray().toFloatArray();
    int block = D_KV * D_MODEL;
    float[] out = new float[in.length * group];
    for (int head = 0; head < kvHeads * group; head++) {
      System.arraycopy(in, (head / group) * block, out, head * block, block);
    }
    return out;
  }

  /** The other plausible reading (head h uses kv head h mod kvHeads), which T5/HF do not use. */
  private static float[] repeatHeadsInterleaved(Parameter kv, int kvHeads, int group) {
    float[] in = kv.getArray().toFloatArray();
    int block = D_KV * D_MODEL;
    float[] out = new float[in.length * group];
    for (int head = 0; head < kvHeads * group; head++) {
      System.arraycopy(in, (head % kvHeads) * block, out, head * block, block);
    }
    return out;
  }
}
