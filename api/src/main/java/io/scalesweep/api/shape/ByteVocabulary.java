package io.scalesweep.api.shape;

/**
 * The byte-level vocabulary (ByT5 style) that needs no tokenizer files: three specials, the 256
 * byte values, and sentinels for span corruption counted down from the top, padded to a multiple
 * of 128 as T5 pads its vocabulary. Defined here because the vocabulary size is part of the shape
 * (and so of the parameter count) while the trainer's tokenizer uses the ids.
 */
public final class ByteVocabulary {

  public static final int PAD = 0;
  public static final int EOS = 1;
  public static final int UNK = 2;
  /** Id of byte value 0; byte b has id {@code BYTE_OFFSET + b}. */
  public static final int BYTE_OFFSET = 3;
  public static final int SIZE = 384;
  /** Ids above the bytes: sentinel i is {@code SIZE - 1 - i}. */
  public static final int SENTINELS = SIZE - BYTE_OFFSET - 256;

  private ByteVocabulary() {}

  /** Id of the i-th sentinel ({@code <extra_id_i>}), counted down from the top as in T5. */
  public static int sentinel(int i) {
    if (i < 0 || i >= SENTINELS) {
      throw new IllegalArgumentException("sentinel index must be in [0, " + SENTINELS + "), got " + i);
    }
    return SIZE - 1 - i;
  }
}
