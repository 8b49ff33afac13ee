package io.scalesweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.v1alpha1.DataFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusReadingTest {

  @TempDir Path dir;
  private final LocalCorpusStore store = new LocalCorpusStore();

  @Test
  void plainTextIsOneDocumentPerNonBlankLine() throws IOException {
    write("a.txt", "first doc\n\n   \nsecond doc\r\nthird\n");
    assertThat(read(dir.resolve("a.txt").toString(), null)).containsExactly("first doc", "second doc", "third");
  }

  @Test
  void jsonlReadsTheNamedFieldAndSkipsEmptyTexts() throws IOException {
    write("a.jsonl", "{\"body\":\"one\",\"url\":\"x\"}\n\n{\"body\":\"\"}\n{\"body\":\"two\\nlines\"}\n");
    assertThat(read(dir.resolve("a.jsonl").toString(), "body")).containsExactly("one", "two\nlines");
  }

  @Test
  void gzipIsReadByItsSuffix() throws IOException {
    gzip("c4-00000.json.gz", "{\"text\":\"zipped ü\"}\n");
    assertThat(read(dir.resolve("c4-00000.json.gz").toString(), null)).containsExactly("zipped ü");
  }

  @Test
  void folderAndTrailingStarPrefixListInSortedOrderSkippingHiddenFiles() throws IOException {
    write("shard-b.txt", "b\n");
    write("shard-a.txt", "a\n");
    write("other.txt", "o\n");
    write("_SUCCESS", "");
    write(".hidden.txt", "h\n");
    assertThat(read(dir.resolve("shard-*").toString(), null)).containsExactly("a", "b");
    assertThat(read(dir.toString(), null)).containsExactly("o", "a", "b");
    assertThat(read(dir.toUri().toString(), null)).containsExactly("o", "a", "b");
  }

  @Test
  void missingTextFieldFailsNamingFileLineAndField() throws IOException {
    write("bad.jsonl", "{\"text\":\"ok\"}\n{\"content\":\"no\"}\n");
    assertThatThrownBy(() -> read(dir.resolve("bad.jsonl").toString(), "text"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("bad.jsonl line 2")
        .hasMessageContaining("'text'")
        .hasMessageContaining("content");
  }

  @Test
  void brokenJsonFailsNamingTheLine() throws IOException {
    write("bad.jsonl", "{\"text\":\"ok\"}\n{not json\n");
    assertThatThrownBy(() -> read(dir.resolve("bad.jsonl").toString(), null))
        .hasMessageContaining("bad.jsonl line 2").hasMessageContaining("not a JSON record");
  }

  @Test
  void unreadableGzipFailsNamingTheFile() throws IOException {
    write("fake.jsonl.gz", "this is not gzip\n");
    assertThatThrownBy(() -> read(dir.resolve("fake.jsonl.gz").toString(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("fake.jsonl.gz")
        .hasMessageContaining("gzip");
  }

  @Test
  void truncatedGzipFailsNamingTheFile() throws IOException {
    gzip("cut.txt.gz", "line\n".repeat(20000));
    byte[] all = Files.readAllBytes(dir.resolve("cut.txt.gz"));
    Files.write(dir.resolve("cut.txt.gz"), java.util.Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> read(dir.resolve("cut.txt.gz").toString(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("cut.txt.gz");
  }

  @Test
  void missingPathsAndUnmatchedPrefixesFail() {
    assertThatThrownBy(() -> store.list(dir.resolve("nope.txt").toString()))
        .isInstanceOf(DataException.class).hasMessageContaining("nope.txt");
    assertThatThrownBy(() -> store.list(dir.resolve("zzz*").toString()))
        .isInstanceOf(DataException.class).hasMessageContaining("zzz");
  }

  @Test
  void unknownExtensionNeedsAnExplicitFormat() throws IOException {
    write("corpus.dat", "x\n");
    assertThatThrownBy(() -> read(dir.resolve("corpus.dat").toString(), null))
        .hasMessageContaining("corpus.dat").hasMessageContaining("dataset.format");
    assertThat(readAs(dir.resolve("corpus.dat").toString(), DataFormat.TEXT)).containsExactly("x");
  }

  @Test
  void corpusWithoutTextIsAnError() throws IOException {
    write("empty.txt", "\n\n  \n");
    write("empty2.jsonl", "{\"text\":\"\"}\n");
    assertThatThrownBy(() -> read(dir.toString(), null))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("no text in 2 file(s)");
  }

  private List<String> read(String uri, String field) {
    return readWith(uri, DataFormat.AUTO, field);
  }

  private List<String> readAs(String uri, DataFormat format) {
    return readWith(uri, format, null);
  }

  private List<String> readWith(String uri, DataFormat format, String field) {
    List<String> docs = new ArrayList<>();
    try (DocumentSource s =
        new DocumentSource(store, uri, format, field, HeldOutSplit.NONE, HeldOutSplit.Role.ALL, false, null)) {
      for (DocumentSource.Document d; (d = s.next()) != null; ) {
        docs.add(d.text());
      }
    }
    return docs;
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private void gzip(String name, String content) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
