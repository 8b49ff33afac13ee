package io.scalesweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpora read from a real S3 server (S3Proxy in-process). */
class ObjectCorpusStoreTest {

  @TempDir static Path dir;
  static S3ProxyServer s3;
  static ObjectCorpusStore corpora;

  @BeforeAll
  static void start() throws Exception {
    s3 = new S3ProxyServer(dir.resolve("s3"));
    s3.createBucket("corpora");
    try (ObjectStore bucket = ObjectStores.open("s3://corpora/", s3.options())) {
      bucket.put("c4/en/part-0.jsonl", "{\"text\": \"first\"}\n".getBytes(StandardCharsets.UTF_8));
      bucket.put("c4/en/part-1.jsonl", "{\"text\": \"second\"}\n".getBytes(StandardCharsets.UTF_8));
      bucket.put("c4/en/_SUCCESS", new byte[0]);
      bucket.put("c4/enwiki.jsonl", "{\"text\": \"other\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    corpora = new ObjectCorpusStore(s3.options());
  }

  @AfterAll
  static void stop() throws Exception {
    corpora.close();
    s3.close();
  }

  @Test
  void listsAFolderSkippingMarkers() {
    assertThat(corpora.list("s3://corpora/c4/en"))
        .containsExactly("s3://corpora/c4/en/part-0.jsonl", "s3://corpora/c4/en/part-1.jsonl");
  }

  @Test
  void trailingStarIsAKeyPrefix() {
    assertThat(corpora.list("s3://corpora/c4/en*"))
        .containsExactly("s3://corpora/c4/en/part-0.jsonl", "s3://corpora/c4/en/part-1.jsonl", "s3://corpora/c4/enwiki.jsonl");
  }

  @Test
  void opensAnObject() throws Exception {
    try (InputStream in = corpora.open(corpora.list("s3://corpora/c4/enwiki.jsonl").get(0))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("other");
    }
  }

  @Test
  void nothingMatchingIsAClearError() {
    assertThatThrownBy(() -> corpora.list("s3://corpora/nope/"))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("s3://corpora/nope/");
  }

  @Test
  void localPathsStillWork() throws Exception {
    Path file = java.nio.file.Files.writeString(dir.resolve("local.txt"), "a line\n");
    assertThat(corpora.list(file.toString())).containsExactly(file.toString());
  }
}
