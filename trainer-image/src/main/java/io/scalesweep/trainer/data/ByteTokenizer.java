package io.scalesweep.trainer.data;

import io.scalesweep.api.shape.ByteVocabulary;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** ByT5-style tokenizer: every UTF-8 byte is one token, ids as in {@link ByteVocabulary}. */
public final class ByteTokenizer implements Tokenizer {

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = ByteVocabulary.BYTE_OFFSET + (bytes[i] & 0xFF);
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length);
    for (int id : ids) {
      int b = id - ByteVocabulary.BYTE_OFFSET;
      if (b >= 0 && b < 256) {
        bytes.write(b);
      }
    }
    // Malformed sequences (a span boundary inside a multi-byte character) become U+FFFD
    // instead of failing: decoding is for reading samples, not for round trips of corrupted text.
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int vocabSize() {
    return ByteVocabulary.SIZE;
  }

  @Override
  public int padId() {
    return ByteVocabulary.PAD;
  }

  @Override
  public int eosId() {
    return ByteVocabulary.EOS;
  }

  @Override
  public int sentinel(int i) {
    return ByteVocabulary.sentinel(i);
  }

  @Override
  public int sentinelCount() {
    return ByteVocabulary.SENTINELS;
  }
}
