package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.shape.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads weights named as Hugging Face names T5 ({@code shared.weight},
 * {@code encoder.block.N.layer.0.SelfAttention.q.weight} ...) into a {@link T5Model}: published
 * {@code google/t5-efficient-*} and {@code t5-small}-style checkpoints, and this project's own
 * checkpoints, which use the same names ({@link T5WeightsWriter}). Linear weights are
 * {@code [out, in]} on both sides, so loading is renaming and copying, never transposing.
 *
 * <p>Strict: a missing parameter, an unknown tensor or a wrong shape fails the load, naming them.
 * Load before the first forward pass: a ParameterStore that mirrored the parameters onto another
 * device earlier would keep its stale copies.
 */
public final class HuggingFaceT5Loader {

  static final String SHARED = "shared.weight";

  /** Copies of the shared table that tied checkpoints may carry instead of or beside it. */
  static final List<String> SHARED_ALIASES =
      List.of("encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight");

  /**
   * In the original T5 conversions, unused by T5 (cross-attention has no position bias); Hugging
   * Face ignores it too.
   */
  static final Set<String> UNUSED =
      Set.of("decoder.block.0.layer.1.EncDecAttention.relative_attention_bias.weight");

  private static final ObjectMapper JSON = new ObjectMapper();

  private HuggingFaceT5Loader() {}

  /**
   * The shape of a Hugging Face T5 1.0 checkpoint from its {@code config.json}; refuses configs of
   * models this trainer does not build (gated feed-forward, untied embeddings, other buckets).
   */
  public static Shape readShape(Path configJson) throws IOException {
    JsonNode config = JSON.readTree(configJson.toFile());
    String feedForward = config.path("feed_forward_proj").asText("relu");
    if (!feedForward.equals("relu")) {
      throw new IOException(
          "only T5 1.0 (feed_forward_proj relu) is supported, got " + feedForward);
    }
    // transformers 5 writes scale_decoder_outputs where older versions wrote the tie flag.
    boolean tied =
        config.path("tie_word_embeddings").asBoolean(true)
            && config.path("scale_decoder_outputs").asBoolean(true);
    if (!tied) {
      throw new IOException("only tied input/output embeddings (T5 1.0) are supported");
    }
    expect(config, "relative_attention_num_buckets", RelativePositionBuckets.NUM_BUCKETS);
    expect(config, "relative_attention_max_distance", RelativePositionBuckets.MAX_DISTANCE);
    int heads = required(config, "num_heads");
    int encoderLayers = required(config, "num_layers");
    int decoderLayers = config.path("num_decoder_layers").asInt(encoderLayers);
    return new Shape(
        encoderLayers,
        decoderLayers,
        required(config, "d_model"),
        required(config, "d_ff"),
        required(config, "d_kv"),
        heads,
        heads,
        false,
        required(config, "vocab_size"));
  }

  /**
   * Loads {@code source}: a {@code .safetensors} file, or a checkpoint directory holding
   * {@code model.safetensors} or the shards listed in {@code model.safetensors.index.json}.
   */
  public static void load(T5Model model, Path source) throws IOException {
    List<Path> files = filesOf(source);
    Map<String, Parameter> expected = model.namedParameters();
    Set<String> loaded = new TreeSet<>();
    Set<String> unexpected = new TreeSet<>();
    boolean sharedPresent = false;
    List<SafetensorsFile> opened = new ArrayList<>();
    try {
      Map<String, SafetensorsFile> owner = new HashMap<>();
      for (Path file : files) {
        SafetensorsFile tensors = SafetensorsFile.open(file);
        opened.add(tensors);
        for (String name : tensors.names()) {
          owner.put(name, tensors);
          sharedPresent |= name.equals(SHARED);
        }
      }
      for (Map.Entry<String, SafetensorsFile> tensor : owner.entrySet()) {
        String name = tensor.getKey();
        String target = name;
        if (SHARED_ALIASES.contains(name)) {
          if (sharedPresent || loaded.contains(SHARED)) {
            continue;
          }
          target = SHARED;
        } else if (UNUSED.contains(name)) {
          continue;
        }
        Parameter parameter = expected.get(target);
        if (parameter == null) {
          unexpected.add(name);
          continue;
        }
        copyInto(parameter, target, tensor.getValue(), name);
        loaded.add(target);
      }
    } finally {
      for (SafetensorsFile tensors : opened) {
        tensors.close();
      }
    }
    Set<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(loaded);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new IOException(
          "checkpoint " + source + " does not fit the model of shape " + model.shape()
              + ": missing " + missing + ", unexpected " + unexpected);
    }
  }

  private static void copyInto(
      Parameter parameter, String target, SafetensorsFile tensors, String name) throws IOException {
    long[] shape = tensors.entry(name).shape();
    long[] wanted = parameter.getShape().getShape();
    if (!Arrays.equals(shape, wanted)) {
      throw new IOException(
          name + " has shape " + Arrays.toString(shape) + ", the model's " + target + " "
              + Arrays.toString(wanted));
    }
    NDArray destination = parameter.getArray();
    try (NDManager scratch = destination.getManager().newSubManager()) {
      NDArray read = tensors.read(name, scratch);
      // On the CPU an array made from a Java buffer points into that buffer, which the garbage
      // collector frees once the array is closed; toDevice(cpu, copy=true) returns the same
      // storage on this engine. Only duplicate() (a clone) gives the parameter memory of its own.
      NDArray owned =
          read.toDevice(destination.getDevice(), false).toType(DataType.FLOAT32, false).duplicate();
      // Swap the storage under the same NDArray object: whoever holds the parameter's array
      // (the ParameterStore, an optimiser) sees the new values.
      destination.intern(owned);
      destination.setRequiresGradient(parameter.requiresGradient());
    }
  }

  private static List<Path> filesOf(Path source) throws IOException {
    if (!Files.isDirectory(source)) {
      return List.of(source);
    }
    Path single = source.resolve("model.safetensors");
    if (Files.exists(single)) {
      return List.of(single);
    }
    Path index = source.resolve("model.safetensors.index.json");
    if (!Files.exists(index)) {
      throw new IOException(
          source + " has neither model.safetensors nor model.safetensors.index.json");
    }
    Set<String> shards = new TreeSet<>();
    JSON.readTree(index.toFile()).path("weight_map").forEach(node -> shards.add(node.asText()));
    List<Path> files = new ArrayList<>();
    for (String shard : shards) {
      files.add(source.resolve(shard));
    }
    return files;
  }

  private static int required(JsonNode config, String field) throws IOException {
    JsonNode node = config.get(field);
    if (node == null || !node.canConvertToInt()) {
      throw new IOException("config.json lacks " + field);
    }
    return node.asInt();
  }

  private static void expect(JsonNode config, String field, int value) throws IOException {
    int actual = config.path(field).asInt(value);
    if (actual != value) {
      throw new IOException(field + " must be " + value + " for T5 1.0, got " + actual);
    }
  }
}
