package io.scalesweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The contract against a real S3 server (S3Proxy), plus what only S3 can do wrong. */
class S3ObjectStoreTest extends ObjectStoreContract {

  /** Stores are rooted below a prefix, so prefix handling is exercised by every test. */
  static final String PREFIX = "sweeps/";

  @TempDir static Path serverFolder;
  static FaultyBlobStore faults;
  static S3ProxyServer server;
  static final AtomicInteger BUCKETS = new AtomicInteger();

  String bucket;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3ProxyServer(serverFolder, store -> faults = new FaultyBlobStore(store));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void disarm() {
    faults.disarm();
  }

  @Override
  ObjectStore openStore() {
    bucket = "bucket-" + BUCKETS.incrementAndGet();
    server.createBucket(bucket);
    return ObjectStores.open("s3://" + bucket + "/" + PREFIX, server.options());
  }

  @Override
  Path storedFile(String key) {
    return server.blobFile(bucket, PREFIX + key);
  }

  @Test
  void theRootIsBucketAndPrefix() {
    assertThat(store.root()).isEqualTo("s3://" + bucket + "/" + PREFIX);
    assertThat(store.uriOf("t/result.json")).isEqualTo("s3://" + bucket + "/sweeps/t/result.json");
  }

  @Test
  void theChecksumTravelsAsUserMetadata() throws IOException {
    store.put("x.json", utf8("{}"));

    try (S3Client raw = server.rawClient()) {
      var head = raw.headObject(b -> b.bucket(bucket).key(PREFIX + "x.json"));
      assertThat(head.metadata()).containsEntry("sha256", Sha256.of(utf8("{}")));
    }
  }

  @Test
  void objectsWrittenByOtherToolsAreReadUnchecked() throws IOException {
    try (S3Client raw = server.rawClient()) {
      raw.putObject(b -> b.bucket(bucket).key(PREFIX + "corpus/part-0.jsonl"),
          RequestBody.fromString("{\"text\":\"hi\"}\n"));
    }

    assertThat(store.get("corpus/part-0.jsonl")).isEqualTo(utf8("{\"text\":\"hi\"}\n"));
  }

  @Test
  void aPartThatFailsOnceIsRetriedAndTheObjectIsWhole() throws IOException {
    byte[] bytes = randomBytes(LARGE, 20);
    Path source = Files.write(local.resolve("big.bin"), bytes);
    faults.failPart(2, 1);

    store.put("big.bin", source);

    assertThat(faults.partAttempts(1)).isEqualTo(1);
    assertThat(faults.partAttempts(2)).as("part 2 was sent again").isEqualTo(2);
    assertThat(faults.partAttempts(3)).isEqualTo(1);
    assertThat(store.get("big.bin")).isEqualTo(bytes);
  }

  @Test
  void anUploadThatKeepsFailingIsAbortedAndLeavesNothing() throws IOException {
    Path source = Files.write(local.resolve("big.bin"), randomBytes(LARGE, 21));
    faults.failPart(2, Integer.MAX_VALUE);

    assertThatThrownBy(() -> store.put("big.bin", source))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(store.uriOf("big.bin"));

    assertThat(faults.partAttempts(2)).as("the SDK's attempts").isEqualTo(3);
    assertThat(faults.partAttempts(3)).as("no part after the failed one").isZero();
    assertThat(store.exists("big.bin")).isFalse();
    assertThat(store.list("")).isEmpty();
    try (S3Client raw = server.rawClient()) {
      assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .as("the upload was aborted, no orphaned parts")
          .isEmpty();
    }
  }

  @Test
  void aFailedReplacementLeavesThePreviousVersion() throws IOException {
    byte[] old = randomBytes(LARGE, 22);
    store.put("big.bin", Files.write(local.resolve("old.bin"), old));
    Path replacement = Files.write(local.resolve("new.bin"), randomBytes(LARGE, 23));
    faults.failPart(3, Integer.MAX_VALUE);

    assertThatThrownBy(() -> store.put("big.bin", replacement)).isInstanceOf(IOException.class);

    assertThat(store.get("big.bin")).isEqualTo(old);
  }

  @Test
  void theServerGoingAwayMidUploadLeavesNoObject() throws Exception {
    Path source = Files.write(local.resolve("big.bin"), randomBytes(LARGE, 24));
    CountDownLatch secondPart = new CountDownLatch(1);
    // part 2 is held back a moment so that the server stops under it; parts 3.. find it gone
    faults.beforePart(part -> {
      if (part == 2) {
        secondPart.countDown();
        pause(300);
      }
    });
    Thread stopper = new Thread(() -> {
      try {
        secondPart.await();
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    stopper.start();
    int thirdPartAttempts;
    try {
      assertThatThrownBy(() -> store.put("big.bin", source))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(store.uriOf("big.bin"));
    } finally {
      stopper.join(10_000);
      thirdPartAttempts = faults.partAttempts(3);
      faults.disarm();
      server.start();
    }

    assertThat(thirdPartAttempts).isZero();
    assertThat(store.exists("big.bin")).isFalse();
    assertThat(store.list("")).isEmpty();
    try (S3Client raw = server.rawClient()) {
      assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .as("the abort could not reach the server: parts remain, for a lifecycle rule")
          .hasSize(1);
    }
  }

  @Test
  void anInterruptedUploadIsAbortedAndSaysItWasInterrupted() throws Exception {
    Path source = Files.write(local.resolve("big.bin"), randomBytes(LARGE, 27));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread[] uploader = new Thread[1];
    faults.beforePart(part -> {
      if (part == 2) {
        uploader[0].interrupt(); // a trainer told to shut down while saving a checkpoint
      }
    });
    uploader[0] = new Thread(() -> {
      try {
        store.put("big.bin", source);
      } catch (Throwable e) {
        failure.set(e);
      }
      stillInterrupted.set(Thread.currentThread().isInterrupted());
    });
    uploader[0].start();
    uploader[0].join(30_000);

    assertThat(failure.get()).isInstanceOf(InterruptedIOException.class)
        .hasMessageContaining(store.uriOf("big.bin"));
    assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
    assertThat(store.exists("big.bin")).isFalse();
    try (S3Client raw = server.rawClient()) {
      assertThat(raw.listMultipartUploads(b -> b.bucket(bucket)).uploads())
          .as("aborted despite the interrupt")
          .isEmpty();
    }
  }

  @Test
  void aReadWhoseBodyBreaksOffIsReadAgain() throws IOException {
    byte[] bytes = randomBytes(1 << 20, 25);
    store.put("weights.bin", bytes);
    faults.breakGets(2, 100_000);

    assertThat(store.get("weights.bin")).isEqualTo(bytes);
    Path target = local.resolve("weights.bin");
    faults.breakGets(1, 100_000);
    store.download("weights.bin", target);
    assertThat(target).hasBinaryContent(bytes);
  }

  @Test
  void aReadThatKeepsBreakingFailsClearly() throws IOException {
    store.put("weights.bin", randomBytes(1 << 20, 26));
    faults.breakGets(Integer.MAX_VALUE, 100_000);

    assertThatThrownBy(() -> store.get("weights.bin"))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(store.uriOf("weights.bin"));
  }

  @Test
  void wrongCredentialsFailClearlyWithoutShowingTheSecret() {
    StorageOptions wrong = server.options().withCredentials(S3ProxyServer.IDENTITY, "not-it-123");
    try (ObjectStore s = ObjectStores.open("s3://" + bucket + "/", wrong)) {
      assertThatThrownBy(() -> s.put("x", new byte[1]))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("access denied")
          .hasMessageNotContaining("not-it-123");
    }
  }

  @Test
  void aMissingBucketIsNamedAsSuch() {
    try (ObjectStore s = ObjectStores.open("s3://no-such-bucket/", server.options())) {
      assertThatThrownBy(() -> s.list(""))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("s3://no-such-bucket/")
          .hasMessageContaining("bucket does not exist");
    }
  }

  @Test
  void listingAndDeletingGoPageByPage() throws IOException {
    ((S3ObjectStore) store).batchSize(7);
    for (int i = 0; i < 20; i++) {
      store.put(String.format("m/%02d", i), new byte[0]);
    }

    assertThat(store.list("m/")).hasSize(20).startsWith("m/00").endsWith("m/19");
    assertThat(store.deletePrefix("m/")).isEqualTo(20);
    assertThat(store.list("")).isEmpty();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
