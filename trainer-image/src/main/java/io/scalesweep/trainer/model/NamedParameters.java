package io.scalesweep.trainer.model;

import ai.djl.nn.Parameter;
import java.util.function.BiConsumer;

/**
 * A block that names its parameters as Hugging Face T5 does: those names are the canonical names
 * of this model's weights, in checkpoints and when loading published T5 checkpoints.
 */
interface NamedParameters {

  /** Hands every parameter of this block to the visitor, its name prefixed with {@code prefix}. */
  void visitParameters(String prefix, BiConsumer<String, Parameter> visitor);
}
