package io.scalesweep.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough throughput against the in-process S3Proxy and the file store. Not a test (surefire's
 * default includes skip it); run it on purpose:
 * {@code ./mvnw -B -q -pl storage -am test -Dtest=S3ThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Client and server share this machine's cores, so the
 * numbers bound the store's own overhead rather than predict a real endpoint.
 */
class S3ThroughputBenchmark {

  static final int MIB = 1 << 20;
  static final int SIZE = 128 * MIB;
  static final int ROUNDS = 3;

  @TempDir Path local;

  @Test
  void measure() throws Exception {
    Path source = Files.write(local.resolve("source.bin"), ObjectStoreContract.randomBytes(SIZE, 1));
    Sha256.of(source); // warm the page cache and the digest code
    report("SHA-256 of a local file", SIZE, () -> Sha256.of(source));

    try (S3ProxyServer server = new S3ProxyServer(local.resolve("s3"))) {
      server.createBucket("bench");
      StorageOptions defaults =
          server.options().withMultipart(StorageOptions.DEFAULT_PART_SIZE,
              StorageOptions.DEFAULT_PART_SIZE);
      StorageOptions singlePut = defaults.withMultipart(Long.MAX_VALUE, StorageOptions.DEFAULT_PART_SIZE);
      try (ObjectStore multipart = ObjectStores.open("s3://bench/mp/", defaults);
          ObjectStore single = ObjectStores.open("s3://bench/single/", singlePut)) {
        bench("S3 multipart, 16 MiB parts", multipart, source);
        bench("S3 single PUT", single, source);
        small("S3", multipart);
      }
    }
    try (ObjectStore files = new FileObjectStore(local.resolve("files"))) {
      bench("file store", files, source);
      small("file store", files);
    }
  }

  private void bench(String label, ObjectStore store, Path source) throws Exception {
    Path target = local.resolve("target.bin");
    store.put("warm-up", source);
    report(label + ": put(file)", SIZE, () -> store.put("big.bin", source));
    report(label + ": download", SIZE, () -> store.download("big.bin", target));
    report(label + ": get -> byte[]", SIZE, () -> store.get("big.bin"));
    store.deletePrefix("");
  }

  private void small(String label, ObjectStore store) throws Exception {
    byte[] kib = new byte[1024];
    int n = 300;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      store.put("small/" + i, kib);
    }
    double putMs = (System.nanoTime() - t0) / 1e6 / n;
    t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      store.get("small/" + i);
    }
    double getMs = (System.nanoTime() - t0) / 1e6 / n;
    System.out.printf(Locale.ROOT, "%-45s put %.2f ms, get %.2f ms per 1 KiB object%n",
        label + ": small objects", putMs, getMs);
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void report(String label, long bytes, Step step) throws IOException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      step.run();
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(Locale.ROOT, "%-45s %7.1f MB/s (best of %d, %.2f s)%n",
        label, bytes / 1e6 / best, ROUNDS, best);
  }
}
