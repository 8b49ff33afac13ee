package io.scalesweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.shape.ByteVocabulary;
import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

  private final ByteTokenizer tokenizer = new ByteTokenizer();

  @Test
  void encodesUtf8BytesShiftedPastTheSpecials() {
    // 'h' = 0x68, 'é' = 0xC3 0xA9
    assertThat(tokenizer.encode("hé")).containsExactly(3 + 0x68, 3 + 0xC3, 3 + 0xA9);
    assertThat(tokenizer.encode("")).isEmpty();
  }

  @Test
  void decodeRoundTripsAndDropsSpecials() {
    String text = "Scale efficiently — 深い ✓";
    int[] ids = tokenizer.encode(text);
    int[] withSpecials = new int[ids.length + 4];
    withSpecials[0] = ByteVocabulary.sentinel(0);
    System.arraycopy(ids, 0, withSpecials, 1, ids.length);
    withSpecials[ids.length + 1] = ByteVocabulary.EOS;
    withSpecials[ids.length + 2] = ByteVocabulary.PAD;
    withSpecials[ids.length + 3] = ByteVocabulary.UNK;
    assertThat(tokenizer.decode(withSpecials)).isEqualTo(text);
  }

  @Test
  void specialsMatchTheSharedVocabulary() {
    assertThat(tokenizer.vocabSize()).isEqualTo(384);
    assertThat(tokenizer.padId()).isZero();
    assertThat(tokenizer.eosId()).isEqualTo(1);
    assertThat(tokenizer.sentinel(0)).isEqualTo(383);
    assertThat(tokenizer.sentinelCount()).isEqualTo(125);
  }
}
