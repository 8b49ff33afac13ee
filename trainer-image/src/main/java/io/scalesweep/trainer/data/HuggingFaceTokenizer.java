package io.scalesweep.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (for example T5's SentencePiece export) through DJL's
 * native tokenizers, loaded from a local file only. Special ids are read from the file itself
 * because DJL's wrapper has no token-to-id lookup.
 */
public final class HuggingFaceTokenizer implements Tokenizer {

  private static final List<String> PAD_TOKENS = List.of("<pad>", "[PAD]", "<|padding|>");
  private static final List<String> EOS_TOKENS = List.of("</s>", "<eos>", "<|endoftext|>", "[SEP]");
  /** Used only when the file has no {@code <extra_id_i>} tokens: T5's count, from the top. */
  static final int DEFAULT_SENTINELS = 100;

  private final ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate;
  private final int vocabSize;
  private final int pad;
  private final int eos;
  private final int[] sentinels;
  private final boolean[] special;

  private HuggingFaceTokenizer(
      ai.djl.huggingface.tokenizers.HuggingFaceTokenizer delegate,
      int vocabSize,
      int pad,
      int eos,
      int[] sentinels,
      boolean[] special) {
    this.delegate = delegate;
    this.vocabSize = vocabSize;
    this.pad = pad;
    this.eos = eos;
    this.sentinels = sentinels;
    this.special = special;
  }

  /** Loads {@code tokenizer.json} (or the one inside a folder). */
  public static HuggingFaceTokenizer load(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file)) {
      throw new DataException("tokenizer " + file + " does not exist");
    }
    Map<String, Integer> tokens = new HashMap<>();
    List<Integer> specialIds = new ArrayList<>();
    int vocabSize;
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      vocabSize = readVocabulary(root.path("model").path("vocab"), tokens);
      for (JsonNode added : root.path("added_tokens")) {
        int id = added.path("id").asInt();
        tokens.put(added.path("content").asText(), id);
        vocabSize = Math.max(vocabSize, id + 1);
        if (added.path("special").asBoolean()) {
          specialIds.add(id);
        }
      }
    } catch (IOException e) {
      throw new DataException("tokenizer " + file + " is not a readable tokenizer.json", e);
    }
    int pad = firstPresent(tokens, PAD_TOKENS, file, "padding");
    int eos = firstPresent(tokens, EOS_TOKENS, file, "end-of-sequence");
    int[] sentinels = sentinels(tokens, vocabSize);
    boolean[] special = new boolean[vocabSize];
    specialIds.forEach(id -> special[id] = true);
    special[pad] = true;
    special[eos] = true;
    for (int s : sentinels) {
      special[s] = true;
    }
    // T5 exports append </s> in a post-processor and truncate to 512 by default in DJL: the
    // pipeline adds EOS itself and packs long documents, so both must be off.
    Map<String, String> options =
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    try {
      return new HuggingFaceTokenizer(
          ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(file, options),
          vocabSize,
          pad,
          eos,
          sentinels,
          special);
    } catch (IOException | RuntimeException e) {
      throw new DataException("tokenizer " + file + " could not be loaded: " + e.getMessage(), e);
    }
  }

  /** Vocabulary size of the model part; word-piece style maps or unigram's list of pairs. */
  private static int readVocabulary(JsonNode vocab, Map<String, Integer> tokens) {
    if (vocab.isArray()) {
      int id = 0;
      for (JsonNode piece : vocab) {
        tokens.putIfAbsent(piece.get(0).asText(), id++);
      }
      return id;
    }
    int size = 0;
    var fields = vocab.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      tokens.put(e.getKey(), e.getValue().asInt());
      size = Math.max(size, e.getValue().asInt() + 1);
    }
    return size;
  }

  private static int firstPresent(
      Map<String, Integer> tokens, List<String> candidates, Path file, String role) {
    for (String c : candidates) {
      Integer id = tokens.get(c);
      if (id != null) {
        return id;
      }
    }
    throw new DataException(
        "tokenizer " + file + " has no " + role + " token (looked for " + candidates + ")");
  }

  /** {@code <extra_id_0>}, {@code <extra_id_1>} ... while present, else the top of the vocab. */
  private static int[] sentinels(Map<String, Integer> tokens, int vocabSize) {
    List<Integer> found = new ArrayList<>();
    for (Integer id; (id = tokens.get("<extra_id_" + found.size() + ">")) != null; ) {
      found.add(id);
    }
    if (found.isEmpty()) {
      int n = Math.min(DEFAULT_SENTINELS, vocabSize / 2);
      for (int i = 0; i < n; i++) {
        found.add(vocabSize - 1 - i);
      }
    }
    return found.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public int[] encode(String text) {
    long[] ids = delegate.encode(text, false, false).getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] kept = new long[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id >= 0 && id < vocabSize && !special[id]) {
        kept[n++] = id;
      }
    }
    return delegate.decode(Arrays.copyOf(kept, n), true);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int padId() {
    return pad;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public int sentinel(int i) {
    if (i < 0 || i >= sentinels.length) {
      throw new IllegalArgumentException(
          "sentinel index must be in [0, " + sentinels.length + "), got " + i);
    }
    return sentinels[i];
  }

  @Override
  public int sentinelCount() {
    return sentinels.length;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
