package io.scalesweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileObjectStoreTest extends ObjectStoreContract {

  private Path root;

  @Override
  ObjectStore openStore() {
    root = local.resolve("store");
    return new FileObjectStore(root);
  }

  @Override
  Path storedFile(String key) {
    return root.resolve(key);
  }

  @Test
  void objectsArePlainFilesWithTheirDigestAttached() throws IOException {
    store.put("sweep/catalog.json", utf8("{}"));

    Path file = root.resolve("sweep/catalog.json");
    assertThat(file).hasContent("{}");
    assertThat(FileDigests.read(file)).isEqualTo(Sha256.of(utf8("{}")));
  }

  @Test
  void filesWrittenByOtherToolsAreReadUnchecked() throws IOException {
    Files.createDirectories(root.resolve("corpus"));
    Files.write(root.resolve("corpus/part-0.jsonl"), utf8("{\"text\":\"hi\"}\n"));

    assertThat(store.get("corpus/part-0.jsonl")).isEqualTo(utf8("{\"text\":\"hi\"}\n"));
    assertThat(store.list("corpus/")).containsExactly("corpus/part-0.jsonl");
  }

  /**
   * Megabytes: a non-atomic write would show readers a torn file. Kilobytes: rewrites come fast
   * enough that a reader often reads the digest of one version and opens the next.
   */
  @ParameterizedTest(name = "{0} and {1} bytes")
  @CsvSource({"2097152, 3145728", "2000, 3000"})
  void concurrentReadersSeeTheOldOrTheNewObjectNeverAPart(int sizeA, int sizeB) throws Exception {
    byte[] a = randomBytes(sizeA, 10);
    byte[] b = randomBytes(sizeB, 11);
    store.put("checkpoints/step-1/weights.bin", a);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<Integer> writer = pool.submit(() -> {
        int writes = 0;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < end) {
          store.put("checkpoints/step-1/weights.bin", writes % 2 == 0 ? b : a);
          writes++;
        }
        writing.set(false);
        return writes;
      });
      List<Future<int[]>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int[] seen = new int[2];
          while (writing.get()) {
            byte[] read = store.get("checkpoints/step-1/weights.bin");
            if (Arrays.equals(read, a)) {
              seen[0]++;
            } else if (Arrays.equals(read, b)) {
              seen[1]++;
            } else {
              throw new AssertionError("read " + read.length + " bytes: neither version");
            }
          }
          return seen;
        }));
      }
      int writes = writer.get(30, TimeUnit.SECONDS);
      int[] total = new int[2];
      for (Future<int[]> reader : readers) {
        int[] seen = reader.get(30, TimeUnit.SECONDS);
        total[0] += seen[0];
        total[1] += seen[1];
      }
      assertThat(writes).isGreaterThan(10);
      assertThat(total[0]).as("reads of the old version").isPositive();
      assertThat(total[1]).as("reads of the new version").isPositive();
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list("")).containsExactly("checkpoints/step-1/weights.bin");
  }

  @Test
  void aFailedWriteLeavesThePreviousObjectAndNoDebris() throws IOException {
    store.put("model.bin", utf8("old"));

    assertThatThrownBy(() -> store.put("model.bin", local.resolve("vanished.bin")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("vanished.bin");

    assertThat(store.get("model.bin")).isEqualTo(utf8("old"));
    try (var files = Files.list(root)) {
      assertThat(files).containsExactly(root.resolve("model.bin"));
    }
  }

  @Test
  void temporaryFilesOfACrashedWriterAreNotObjects() throws IOException {
    store.put("c/manifest.json", utf8("{}"));
    Files.write(root.resolve("c").resolve(Keys.TEMP_PREFIX + "dead"), utf8("half a wei"));

    assertThat(store.list("")).containsExactly("c/manifest.json");
  }

  @Test
  void deletingTheLastObjectOfAFolderRemovesTheFolderButNotTheRoot() throws IOException {
    store.put("s/t/checkpoints/step-1/a", utf8("1"));
    store.put("s/keep", utf8("2"));

    store.deletePrefix("s/t/");
    assertThat(root.resolve("s/t")).doesNotExist();
    assertThat(root.resolve("s/keep")).exists();

    store.delete("s/keep");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void aKeyCannotBeAnObjectAndAFolderHere() throws IOException {
    store.put("a", utf8("object"));

    assertThatThrownBy(() -> store.put("a/b", utf8("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(store.uriOf("a/b"));
  }

  @Test
  void plainPathsAndFileUrisOpenTheSameStore() throws IOException {
    store.put("x.json", utf8("{}"));
    try (ObjectStore byUri = ObjectStores.open(root.toUri().toString(), StorageOptions.defaults());
        ObjectStore byPath = ObjectStores.open(root.toString(), StorageOptions.defaults())) {
      assertThat(byUri.root()).isEqualTo(store.root());
      assertThat(byPath.root()).isEqualTo(store.root());
      assertThat(byUri.get("x.json")).isEqualTo(utf8("{}"));
    }
    assertThat(store.keyOf(root.resolve("x.json").toString())).isEqualTo("x.json");
    assertThat(store.keyOf("file:" + root.resolve("x.json"))).isEqualTo("x.json");
  }
}
