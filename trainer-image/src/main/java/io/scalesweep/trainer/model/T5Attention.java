package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.function.BiConsumer;

/**
 * T5 attention: no biases, no 1/sqrt(d_kv) on the logits (T5 folds it into the query's
 * initialisation), an additive bias for positions and masks, and the paper's two key/value
 * variants: shared heads (SH, fewer key/value heads than query heads, each serving a contiguous
 * group of query heads) and tied key-values (SKV, one projection used as keys and as values).
 *
 * <p>Weights are stored {@code [out, in]} as in PyTorch and Hugging Face, and applied with
 * {@code linear(x, w)}: activations first, so no result lands in the model's manager.
 */
public final class T5Attention extends T5Block {

  private final int numHeads;
  private final int kvHeads;
  private final int dKV;
  private final DropoutRate dropoutRate;
  private final Parameter query;
  private final Parameter key;
  private final Parameter value;
  private final Parameter output;

  public T5Attention(
      int dModel, int numHeads, int kvHeads, int dKV, boolean tiedKV, float dropoutRate) {
    this(dModel, numHeads, kvHeads, dKV, tiedKV, new DropoutRate(dropoutRate));
  }

  public T5Attention(
      int dModel, int numHeads, int kvHeads, int dKV, boolean tiedKV, DropoutRate dropoutRate) {
    if (numHeads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "kvHeads " + kvHeads + " must divide numHeads " + numHeads);
    }
    this.numHeads = numHeads;
    this.kvHeads = kvHeads;
    this.dKV = dKV;
    this.dropoutRate = dropoutRate;
    int inner = numHeads * dKV;
    int kvWidth = kvHeads * dKV;
    // Mesh TensorFlow's factors: the query carries the 1/sqrt(d_kv) the logits leave out.
    query = addParameter(weight("q", inner, dModel, Math.pow((double) dModel * dKV, -0.5)));
    if (tiedKV) {
      key = addParameter(weight("kv", kvWidth, dModel, Math.pow(dModel, -0.5)));
      value = key;
    } else {
      key = addParameter(weight("k", kvWidth, dModel, Math.pow(dModel, -0.5)));
      value = addParameter(weight("v", kvWidth, dModel, Math.pow(dModel, -0.5)));
    }
    output = addParameter(weight("o", dModel, inner, Math.pow(inner, -0.5)));
  }

  static Parameter weight(String name, int out, int in, double std) {
    return Parameter.builder()
        .setName(name)
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(out, in))
        .optInitializer(new NormalInitializer((float) std))
        .build();
  }

  /** Keys and values of {@code source} {@code [batch, length, dModel]}, split into kv heads. */
  public KeyValues project(ParameterStore parameterStore, NDArray source, boolean training) {
    NDArray keys =
        splitHeads(HalfMatmuls.linear(parameterStore, source, key, training), kvHeads);
    if (key == value) {
      return new KeyValues(keys, keys);
    }
    NDArray values =
        splitHeads(HalfMatmuls.linear(parameterStore, source, value, training), kvHeads);
    return new KeyValues(keys, values);
  }

  /**
   * Attends from {@code x} {@code [batch, queries, dModel]} over {@code keyValues}, adding
   * {@code bias} (broadcastable to {@code [batch, heads, queries, keys]}; null for none).
   */
  public NDArray attend(
      ParameterStore parameterStore,
      NDArray x,
      KeyValues keyValues,
      NDArray bias,
      boolean training) {
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long queries = shape.get(1);
    long keys = keyValues.length();
    int group = numHeads / kvHeads;
    // Query heads of one group share a kv head: fold the group into the query axis so one
    // batched matmul per kv head serves them all, without copying keys or values.
    NDArray q =
        HalfMatmuls.linear(parameterStore, x, query, training)
            .reshape(batch, queries, kvHeads, group, dKV)
            .transpose(0, 2, 3, 1, 4)
            .reshape(batch, kvHeads, group * queries, dKV);
    NDArray keysTransposed = keyValues.keys().transpose(0, 1, 3, 2);
    // Cached keys live in the cache's manager, and so would this view of them, once per step:
    // keep it with this step's activations instead.
    keysTransposed.attach(q.getManager());
    NDArray logits = q.matMul(keysTransposed).reshape(batch, numHeads, queries, keys);
    if (bias != null) {
      // the bias (and the masks in it) is fp32: fp16 logits are promoted, never the other way
      logits = logits.add(bias);
    }
    NDArray weights = HalfMatmuls.softmax(logits, -1);
    weights = dropout(weights, dropoutRate, training);
    NDArray context =
        HalfMatmuls.castLike(weights, keyValues.values())
            .reshape(batch, kvHeads, group * queries, keys)
            .matMul(keyValues.values())
            .reshape(batch, numHeads, queries, dKV)
            .transpose(0, 2, 1, 3)
            .reshape(batch, queries, (long) numHeads * dKV);
    return HalfMatmuls.linear(parameterStore, context, output, training);
  }

  /** Attention from {@code x} over {@code source} (the same array for self-attention). */
  public NDArray forward(
      ParameterStore parameterStore,
      NDArray x,
      NDArray source,
      NDArray bias,
      boolean training) {
    return attend(parameterStore, x, project(parameterStore, source, training), bias, training);
  }

  private NDArray splitHeads(NDArray projected, int heads) {
    Shape shape = projected.getShape();
    return projected.reshape(shape.get(0), shape.get(1), heads, dKV).transpose(0, 2, 1, 3);
  }

  public int numHeads() {
    return numHeads;
  }

  /** Inputs: x, then optionally a source for cross-attention and an additive bias. */
  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray source = inputs.size() > 1 ? inputs.get(1) : x;
    NDArray bias = inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(forward(parameterStore, x, source, bias, training));
  }

  @Override
  public void visitParameters(String prefix, BiConsumer<String, Parameter> visitor) {
    visitor.accept(prefix + query.getName() + ".weight", query);
    visitor.accept(prefix + key.getName() + ".weight", key);
    if (value != key) {
      visitor.accept(prefix + value.getName() + ".weight", value);
    }
    visitor.accept(prefix + output.getName() + ".weight", output);
  }
}
