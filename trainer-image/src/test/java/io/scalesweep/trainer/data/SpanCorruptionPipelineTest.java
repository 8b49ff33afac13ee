package io.scalesweep.trainer.data;

import io.scalesweep.api.recipe.SpanLengths;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.shape.ByteVocabulary;
import io.scalesweep.api.v1alpha1.DatasetSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanCorruptionPipelineTest {

  private static final String[] WORDS = {
    "scale", "efficiently", "deep", "narrow", "model", "span", "corruption", "the", "of", "über"
  };

  @TempDir Path dir;
  private final ByteTokenizer bytes = new ByteTokenizer();

  @Test
  void batchesPackDocumentsWithEosAndKeepEveryToken() throws IOException {
    List<String> docs = writeCorpus("one.txt", 40, 1);
    PretrainData data = data(config(64, 3, 0, false));
    List<Integer> expected = new ArrayList<>();
    for (String d : docs) {
      for (int t : bytes.encode(d)) {
        expected.add(t);
      }
      expected.add(ByteVocabulary.EOS);
    }
    List<Integer> rebuilt = new ArrayList<>();
    try (SpanCorruptionPipeline p = data.training(bytes, null)) {
      SpanLengths l = p.lengths();
      while (rebuilt.size() < expected.size()) {
        TokenBatch b = p.next();
        for (int row = 0; row < b.size(); row++) {
          int[] raw = SpanCorruptionTest.rebuild(rowExample(b, row));
          assertThat(raw).hasSize(l.rawLength());
          for (int t : raw) {
            rebuilt.add(t);
          }
        }
      }
    }
    assertThat(rebuilt.subList(0, expected.size())).isEqualTo(expected);
    // the stream wraps into the next epoch instead of ending
    assertThat(rebuilt.subList(expected.size(), rebuilt.size()))
        .isEqualTo(expected.subList(0, rebuilt.size() - expected.size()));
  }

  @Test
  void batchLayoutIsT5s() throws IOException {
    writeCorpus("one.txt", 30, 2);
    try (SpanCorruptionPipeline p = data(config(64, 4, 0, false)).training(bytes, null)) {
      TokenBatch b = p.next();
      int in = b.inputLength();
      int out = b.targetLength();
      assertThat(b.size()).isEqualTo(4);
      assertThat(in).isEqualTo(64);
      assertThat(out).isEqualTo(SpanLengths.forInputLength(64, 0.15, 3.0).targetLength());
      for (int row = 0; row < 4; row++) {
        assertThat(b.decoderInput()[row * out]).isEqualTo(ByteVocabulary.PAD);
        for (int i = 1; i < out; i++) {
          assertThat(b.decoderInput()[row * out + i]).isEqualTo(b.targets()[row * out + i - 1]);
        }
        for (int i = 0; i < in; i++) {
          assertThat(b.encoderMask()[row * in + i]).isEqualTo(b.encoderInput()[row * in + i] != 0 ? 1 : 0);
        }
        for (int i = 0; i < out; i++) {
          assertThat(b.decoderMask()[row * out + i]).isEqualTo(b.targets()[row * out + i] != 0 ? 1 : 0);
        }
      }
      assertThat(b.tokenCount()).isEqualTo(4L * (in + out)); // full chunks fill both sides
    }
  }

  @Test
  void restoredPipelineContinuesExactlyAcrossEpochs() throws Exception {
    writeCorpus("a.txt", 7, 3);
    writeCorpus("b.txt", 5, 4);
    writeCorpus("c.jsonl", 6, 5);
    PretrainData data = data(config(32, 3, 4, true));
    List<TokenBatch> uninterrupted = new ArrayList<>();
    List<PipelineState> states = new ArrayList<>();
    try (SpanCorruptionPipeline p = data.training(bytes, null)) {
      for (int i = 0; i < 40; i++) {
        states.add(p.state());
        uninterrupted.add(p.next());
      }
      assertThat(p.state().epoch()).as("the run must cross epochs").isGreaterThanOrEqualTo(2);
    }
    for (int k : new int[] {0, 1, 7, 19, 33}) {
      PipelineState saved = roundTrip(states.get(k));
      try (SpanCorruptionPipeline resumed = data.training(bytes, saved)) {
        for (int i = k; i < 40; i++) {
          assertSameBatch(resumed.next(), uninterrupted.get(i));
        }
      }
    }
  }

  @Test
  void heldOutDocumentsNeverReachTrainingAndEvaluationRepeatsItself() throws IOException {
    List<String> docs = writeCorpus("many.txt", 400, 6);
    PretrainData data = data(config(32, 2, 5, false));
    Set<String> train = new HashSet<>(documentsOf(data, HeldOutSplit.Role.TRAIN));
    List<String> heldOut = documentsOf(data, HeldOutSplit.Role.HELD_OUT);
    assertThat(heldOut).doesNotContainAnyElementsOf(train);
    assertThat(train.size() + new HashSet<>(heldOut).size()).isEqualTo(new HashSet<>(docs).size());
    assertThat(heldOut.size()).isBetween(50, 110); // one in 5 of 400, by hash

    List<TokenBatch> first = drain(data.evaluation(bytes));
    List<TokenBatch> second = drain(data.evaluation(bytes));
    assertThat(first).hasSameSizeAs(second).isNotEmpty();
    for (int i = 0; i < first.size(); i++) {
      assertSameBatch(first.get(i), second.get(i));
    }
    TokenBatch last = first.get(first.size() - 1);
    assertThat(last.size()).isBetween(1, 2);
  }

  @Test
  void separateValidationDatasetIsReadWholeAndTrainingKeepsEverything() throws IOException {
    writeCorpus("train.txt", 20, 7);
    Files.createDirectories(dir.resolve("val"));
    List<String> val = writeCorpus("val/v.txt", 3, 8);
    DatasetSpec validation = new DatasetSpec();
    validation.setUri(dir.resolve("val").toString());
    PretrainData data =
        new PretrainData(new LocalCorpusStore(), dataset("train.txt"), validation, config(32, 2, 2, false));
    long valTokens = val.stream().mapToLong(d -> bytes.encode(d).length + 1).sum();
    try (SpanCorruptionPipeline eval = data.evaluation(bytes)) {
      while (eval.next() != null) {
        // drain
      }
      assertThat(eval.tokensRead()).isEqualTo(valTokens);
    }
  }

  @Test
  void emptyHeldOutSplitIsReported() throws IOException {
    writeCorpus("tiny.txt", 1, 9);
    PretrainData data = data(config(32, 2, 1000, false));
    assertThatThrownBy(() -> drain(data.evaluation(bytes)))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("held-out split");
  }

  @Test
  void tooFewSentinelsForTheInputLengthIsRefused() throws IOException {
    writeCorpus("x.txt", 3, 10);
    try (HuggingFaceTokenizer tiny = HuggingFaceTokenizer.load(HuggingFaceTokenizerTest.TINY)) {
      assertThatThrownBy(() -> data(config(512, 2, 0, false)).training(tiny, null))
          .hasMessageContaining("28 sentinels");
    }
  }

  @Test
  void throughputOfTheBytePipeline() throws IOException {
    List<String> docs = writeCorpus("big.txt", 20000, 11); // ~1.5 MB
    long expectedTokens = docs.stream().mapToLong(d -> bytes.encode(d).length + 1).sum();
    PretrainData data = data(config(512, 32, 0, false));
    // warm-up pass so the JIT has compiled the hot loops
    drain(data.training(bytes, null), 20);
    try (SpanCorruptionPipeline p = data(config(512, 32, 2, false)).evaluation(bytes)) {
      long start = System.nanoTime();
      long batches = 0;
      while (p.next() != null) {
        batches++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "byte pipeline: %d raw tokens, %d batches of 32x512 in %.3f s = %.0f tokens/s%n",
          p.tokensRead(), batches, seconds, p.tokensRead() / seconds);
      assertThat(p.tokensRead()).isLessThan(expectedTokens).isGreaterThan(expectedTokens / 4);
    }
  }

  private static Example rowExample(TokenBatch b, int row) {
    int[] in = slice(b.encoderInput(), b.encoderMask(), row * b.inputLength(), b.inputLength());
    int[] out = slice(b.targets(), b.decoderMask(), row * b.targetLength(), b.targetLength());
    return new Example(in, out);
  }

  private static int[] slice(int[] values, int[] mask, int from, int length) {
    return IntStream.range(from, from + length).filter(i -> mask[i] == 1).map(i -> values[i]).toArray();
  }

  private static void assertSameBatch(TokenBatch actual, TokenBatch expected) {
    assertThat(actual.size()).isEqualTo(expected.size());
    assertThat(actual.encoderInput()).isEqualTo(expected.encoderInput());
    assertThat(actual.targets()).isEqualTo(expected.targets());
    assertThat(actual.decoderInput()).isEqualTo(expected.decoderInput());
    assertThat(actual.encoderMask()).isEqualTo(expected.encoderMask());
    assertThat(actual.decoderMask()).isEqualTo(expected.decoderMask());
  }

  private static PipelineState roundTrip(PipelineState s) throws Exception {
    PipelineState viaText = PipelineState.decode(s.encode());
    ObjectMapper json = new ObjectMapper();
    PipelineState viaJson = json.readValue(json.writeValueAsString(viaText), PipelineState.class);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(viaJson);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      PipelineState viaJava = (PipelineState) in.readObject();
      assertThat(viaJava).isEqualTo(s);
      return viaJava;
    }
  }

  private List<String> documentsOf(PretrainData data, HeldOutSplit.Role role) {
    List<String> docs = new ArrayList<>();
    try (DocumentSource s =
        new DocumentSource(new LocalCorpusStore(), dir.resolve("many.txt").toString(), null, null,
            new HeldOutSplit(5), role, false, null)) {
      for (DocumentSource.Document d; (d = s.next()) != null; ) {
        docs.add(d.text());
      }
    }
    return docs;
  }

  private static List<TokenBatch> drain(SpanCorruptionPipeline p) {
    return drain(p, Integer.MAX_VALUE);
  }

  private static List<TokenBatch> drain(SpanCorruptionPipeline p, int max) {
    List<TokenBatch> out = new ArrayList<>();
    try (p) {
      for (TokenBatch b; out.size() < max && (b = p.next()) != null; ) {
        out.add(b);
      }
    }
    return out;
  }

  private PretrainData data(PipelineConfig config) {
    DatasetSpec spec = dataset("");
    spec.setUri(dir.toString());
    return new PretrainData(new LocalCorpusStore(), spec, null, config);
  }

  private DatasetSpec dataset(String name) {
    DatasetSpec spec = new DatasetSpec();
    spec.setUri(dir.resolve(name).toString());
    return spec;
  }

  private static PipelineConfig config(int inputLength, int batch, int heldOutEvery, boolean shuffle) {
    return new PipelineConfig(inputLength, null, 0.15, 3.0, batch, 17, heldOutEvery, shuffle);
  }

  /** Unique documents of random words (the index makes each distinct), text or JSONL by name. */
  private List<String> writeCorpus(String name, int documents, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> docs = new ArrayList<>();
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < documents; i++) {
      StringBuilder d = new StringBuilder(name).append('#').append(i);
      int words = 5 + random.nextInt(25);
      for (int w = 0; w < words; w++) {
        d.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      docs.add(d.toString());
      file.append(name.endsWith(".jsonl") ? "{\"text\":\"" + d + "\"}" : d).append('\n');
    }
    Files.writeString(dir.resolve(name), file, StandardCharsets.UTF_8);
    return docs;
  }
}
