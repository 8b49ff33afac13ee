package io.scalesweep.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

/** Test helper: puts chosen values into a parameter the way the loader does. */
final class Weights {

  private Weights() {}

  static void set(Parameter parameter, float[] values) {
    NDArray destination = parameter.getArray();
    NDArray created = destination.getManager().create(values, parameter.getShape());
    // duplicate(): the created array points into a Java buffer (see HuggingFaceT5Loader).
    NDArray owned = created.duplicate();
    created.close();
    destination.intern(owned);
    destination.setRequiresGradient(parameter.requiresGradient());
  }

  /**
   * Sharpens attention and widens residual updates (as the parity fixture's script does), so a
   * tiny random model's greedy output depends on positions and earlier tokens.
   */
  static void sharpen(T5Model model) {
    for (var entry : model.namedParameters().entrySet()) {
      String name = entry.getKey();
      float factor;
      if (name.endsWith("relative_attention_bias.weight")) {
        factor = 8f;
      } else if (name.matches(".*\\.(q|k|kv)\\.weight")) {
        factor = 3f;
      } else if (name.matches(".*\\.(v|o|wi|wo)\\.weight")) {
        factor = 2f;
      } else {
        continue;
      }
      float[] values = entry.getValue().getArray().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        values[i] *= factor;
      }
      set(entry.getValue(), values);
    }
  }
}
