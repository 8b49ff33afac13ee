package io.scalesweep.trainer.data;

/**
 * Text to token ids and back, with the special ids span corruption needs. {@link #encode} never
 * adds EOS: the pipeline appends it per document, as T5's output features do.
 */
public interface Tokenizer extends AutoCloseable {

  /** Token ids of the text, without any special token. */
  int[] encode(String text);

  /** Text of the ids; PAD, EOS, UNK and sentinels are dropped. */
  String decode(int[] ids);

  /** Ids are in {@code [0, vocabSize())}; the model's embedding table has this many rows. */
  int vocabSize();

  /** Padding id, also the decoder's start token as in T5. */
  int padId();

  int eosId();

  /** Id of {@code <extra_id_i>}, counted down from the top of the vocabulary in T5. */
  int sentinel(int i);

  /** How many distinct sentinels exist, so the most spans one example may have. */
  int sentinelCount();

  @Override
  default void close() {}
}
