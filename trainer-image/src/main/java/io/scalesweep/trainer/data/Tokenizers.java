package io.scalesweep.trainer.data;

import io.scalesweep.api.v1alpha1.TokenizerSpec;
import io.scalesweep.api.v1alpha1.TokenizerType;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Builds the tokenizer a recipe names; bytes when the recipe names none. */
public final class Tokenizers {

  private Tokenizers() {}

  public static Tokenizer fromSpec(TokenizerSpec spec) {
    if (spec == null || spec.getType() == null || spec.getType() == TokenizerType.BYTES) {
      return new ByteTokenizer();
    }
    String path = spec.getPath();
    if (path == null || path.isBlank()) {
      throw new DataException("tokenizer.path is required when tokenizer.type is huggingface");
    }
    if (path.contains("://") && !path.startsWith("file:")) {
      // Remote tokenizers arrive with object storage; until then fail with the reason.
      throw new DataException("tokenizer.path " + path + ": only local files are supported yet");
    }
    Path file = path.startsWith("file:") ? Paths.get(URI.create(path)) : Paths.get(path);
    return HuggingFaceTokenizer.load(file);
  }
}
