package io.scalesweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.v1alpha1.TokenizerSpec;
import io.scalesweep.api.v1alpha1.TokenizerType;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uses src/test/resources/data/tiny-tokenizer.json (made by src/test/python/make_tiny_tokenizer.py). */
class HuggingFaceTokenizerTest {

  static final Path TINY = Paths.get("src/test/resources/data/tiny-tokenizer.json");
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = HuggingFaceTokenizer.load(TINY);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void readsSpecialIdsFromTheFile() {
    assertThat(tokenizer.padId()).isZero();
    assertThat(tokenizer.eosId()).isEqualTo(1);
    assertThat(tokenizer.vocabSize()).isEqualTo(36);
    assertThat(tokenizer.sentinelCount()).isEqualTo(10);
    assertThat(tokenizer.sentinel(0)).isEqualTo(35); // <extra_id_0> on top, as in T5
    assertThat(tokenizer.sentinel(9)).isEqualTo(26);
  }

  @Test
  void encodesWithoutEosOrUnknownsAsUnk() {
    int[] ids = tokenizer.encode("hello world zebra");
    assertThat(ids).hasSize(3).doesNotContain(1);
    assertThat(ids[2]).isEqualTo(2); // <unk>
  }

  @Test
  void longDocumentsAreNotTruncated() {
    String text = "the quick brown fox ".repeat(300); // 1200 words, DJL would cut at 512
    assertThat(tokenizer.encode(text)).hasSize(1200);
  }

  @Test
  void decodeDropsSentinelsAndSpecials() {
    int[] ids = tokenizer.encode("hello world");
    int[] withSpecials = {tokenizer.sentinel(0), ids[0], ids[1], tokenizer.eosId(), 0};
    assertThat(tokenizer.decode(withSpecials)).isEqualTo("hello world");
  }

  @Test
  void factoryBuildsItFromTheSpecAndBytesByDefault() {
    TokenizerSpec spec = new TokenizerSpec();
    spec.setType(TokenizerType.HUGGINGFACE);
    spec.setPath(TINY.toAbsolutePath().toUri().toString());
    try (Tokenizer t = Tokenizers.fromSpec(spec)) {
      assertThat(t.vocabSize()).isEqualTo(36);
    }
    assertThat(Tokenizers.fromSpec(null)).isInstanceOf(ByteTokenizer.class);
  }

  @Test
  void missingFileNamesThePath() {
    assertThatThrownBy(() -> HuggingFaceTokenizer.load(Paths.get("no/such/tokenizer.json")))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no/such/tokenizer.json");
  }
}
