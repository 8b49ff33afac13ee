package io.scalesweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} promises, run against each implementation by a subclass that
 * knows how to open one and how to damage a stored object behind its back.
 */
abstract class ObjectStoreContract {

  /** Above the 5 MiB threshold the subclasses configure: three parts of 5, 5 and 2 MiB. */
  static final int LARGE = 12 << 20;

  @TempDir Path local;
  ObjectStore store;

  abstract ObjectStore openStore() throws Exception;

  /** The local file in which the store (or the S3 server) keeps the object's bytes. */
  abstract Path storedFile(String key);

  @BeforeEach
  void openTheStore() throws Exception {
    store = openStore();
  }

  @AfterEach
  void closeTheStore() {
    store.close();
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Flips one bit of the stored object in place, leaving its recorded checksum alone. */
  void corrupt(String key, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(storedFile(key), StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.flip();
      byte flipped = (byte) (one.get(0) ^ 0x01);
      channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
    }
  }

  @Test
  void putThenGetReturnsTheSameBytes() throws IOException {
    byte[] bytes = randomBytes(100_000, 1);
    store.put("trial/result.json", bytes);
    store.put("empty", new byte[0]);

    assertThat(store.get("trial/result.json")).isEqualTo(bytes);
    assertThat(store.get("empty")).isEmpty();
  }

  @Test
  void putReplacesThePreviousObject() throws IOException {
    store.put("catalog.json", utf8("{\"v\":1}"));
    store.put("catalog.json", utf8("{\"v\":2,\"longer\":true}"));

    assertThat(store.get("catalog.json")).isEqualTo(utf8("{\"v\":2,\"longer\":true}"));
  }

  @Test
  void putFileAndDownloadRoundTrip() throws IOException {
    byte[] bytes = randomBytes(300_000, 2);
    Path source = Files.write(local.resolve("weights.bin"), bytes);
    Path target = local.resolve("restore/deeper/weights.bin");

    store.put("checkpoints/step-1/weights.bin", source);
    store.download("checkpoints/step-1/weights.bin", target);

    assertThat(target).hasBinaryContent(bytes);
  }

  @Test
  void openStreamsTheObject() throws IOException {
    byte[] bytes = randomBytes(70_000, 3);
    store.put("metrics.jsonl", bytes);

    try (InputStream in = store.open("metrics.jsonl")) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
  }

  @Test
  void largeFileGoesUpInPartsAndComesBackIdentical() throws IOException {
    byte[] bytes = randomBytes(LARGE, 4);
    Path source = Files.write(local.resolve("big.bin"), bytes);

    store.put("big.bin", source);

    assertThat(store.get("big.bin")).isEqualTo(bytes);
    Path target = local.resolve("big-copy.bin");
    store.download("big.bin", target);
    assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
  }

  @Test
  void readingAMissingObjectNamesItsUri() throws IOException {
    String uri = store.uriOf("nope/result.json");

    assertThatThrownBy(() -> store.get("nope/result.json"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining(uri)
        .satisfies(e -> assertThat(((ObjectNotFoundException) e).uri()).isEqualTo(uri));
    assertThatThrownBy(() -> store.open("nope/result.json"))
        .isInstanceOf(ObjectNotFoundException.class);
    Path target = local.resolve("never.bin");
    assertThatThrownBy(() -> store.download("nope/result.json", target))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void sizeIsTheStoredLengthAndMissingObjectsAreNamed() throws IOException {
    store.put("s/obj", new byte[1234]);
    store.put("s/empty", new byte[0]);

    assertThat(store.size("s/obj")).isEqualTo(1234);
    assertThat(store.size("s/empty")).isZero();
    assertThatThrownBy(() -> store.size("s/none"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("s/none");
  }

  @Test
  void existsFollowsPutAndDelete() throws IOException {
    assertThat(store.exists("a/b.json")).isFalse();
    store.put("a/b.json", utf8("{}"));
    assertThat(store.exists("a/b.json")).isTrue();
    assertThat(store.exists("a")).as("a folder is not an object").isFalse();

    store.delete("a/b.json");

    assertThat(store.exists("a/b.json")).isFalse();
  }

  @Test
  void deleteIsIdempotent() throws IOException {
    store.put("x.json", utf8("{}"));
    store.delete("x.json");
    store.delete("x.json");
    store.delete("never/was.json");

    assertThat(store.list("")).isEmpty();
  }

  @Test
  void listIsAStringPrefixMatchAtAnyDepthSorted() throws IOException {
    for (String key : List.of("a/c", "z", "a/b/2", "ab", "a/b/1")) {
      store.put(key, utf8(key));
    }

    assertThat(store.list("")).containsExactly("a/b/1", "a/b/2", "a/c", "ab", "z");
    assertThat(store.list("a/")).containsExactly("a/b/1", "a/b/2", "a/c");
    assertThat(store.list("a")).containsExactly("a/b/1", "a/b/2", "a/c", "ab");
    assertThat(store.list("a/b/1")).containsExactly("a/b/1");
    assertThat(store.list("nothing/")).isEmpty();
  }

  @Test
  void listMatchesInsideANameLikeS3() throws IOException {
    for (String key :
        List.of("checkpoints/step-1/m.json", "checkpoints/step-10/m.json",
            "checkpoints/step-2/m.json")) {
      store.put(key, utf8("{}"));
    }

    assertThat(store.list("checkpoints/step-1"))
        .containsExactly("checkpoints/step-1/m.json", "checkpoints/step-10/m.json");
  }

  @Test
  void deletePrefixRemovesExactlyWhatListShows() throws IOException {
    for (String key : List.of("s/t1/a", "s/t1/b/c", "s/t2/a", "s/t10/a", "other")) {
      store.put(key, utf8(key));
    }

    assertThat(store.deletePrefix("s/t1/")).isEqualTo(2);

    assertThat(store.list("")).containsExactly("other", "s/t10/a", "s/t2/a");
    assertThat(store.deletePrefix("s/t1/")).as("again: nothing left, no error").isZero();
  }

  @Test
  void aCorruptedObjectFailsEveryFullRead() throws IOException {
    byte[] bytes = randomBytes(50_000, 5);
    store.put("checkpoints/step-7/weights.bin", bytes);
    corrupt("checkpoints/step-7/weights.bin", 12_345);
    String uri = store.uriOf("checkpoints/step-7/weights.bin");

    assertThatThrownBy(() -> store.get("checkpoints/step-7/weights.bin"))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(uri)
        .hasMessageContaining(Sha256.of(bytes));
    assertThatThrownBy(() -> {
          try (InputStream in = store.open("checkpoints/step-7/weights.bin")) {
            in.readAllBytes();
          }
        })
        .isInstanceOf(ChecksumMismatchException.class);
    Path target = Files.write(local.resolve("weights.bin"), utf8("previous"));
    assertThatThrownBy(() -> store.download("checkpoints/step-7/weights.bin", target))
        .isInstanceOf(ChecksumMismatchException.class);
    assertThat(target).as("a failed download leaves the old file").hasContent("previous");
  }

  @Test
  void aCorruptedLargeObjectIsCaughtToo() throws IOException {
    Path source = Files.write(local.resolve("big.bin"), randomBytes(LARGE, 6));
    store.put("big.bin", source);
    corrupt("big.bin", LARGE - 10);

    assertThatThrownBy(() -> store.get("big.bin")).isInstanceOf(ChecksumMismatchException.class);
  }

  @Test
  void keysThatCouldEscapeTheRootAreRejected() {
    for (String bad : List.of("", "/abs", "../up", "a/../../b", "a//b", "a/./b", "folder/",
        "a/" + Keys.TEMP_PREFIX + "x")) {
      assertThatThrownBy(() -> store.put(bad, new byte[1]))
          .as("key '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void uriOfAndKeyOfAreInverse() {
    String uri = store.uriOf("sweep/trial/result.json");

    assertThat(uri).startsWith(store.root()).endsWith("/sweep/trial/result.json");
    assertThat(store.keyOf(uri)).isEqualTo("sweep/trial/result.json");
    assertThatThrownBy(() -> store.keyOf("s3://elsewhere/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
