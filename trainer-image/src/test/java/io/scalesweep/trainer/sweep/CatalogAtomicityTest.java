package io.scalesweep.trainer.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers of catalog.json never see half a catalog while it is being rewritten: every read parses
 * and is one of the catalogs written, on the local store and on S3.
 */
class CatalogAtomicityTest {

  @TempDir Path dir;

  @Test
  void localCatalogReadersSeeOnlyWholeCatalogs() throws Exception {
    try (ObjectStore store = ObjectStores.open(dir.resolve("sweeps/s/").toString())) {
      assertReadersSeeWholeCatalogs(store, 150);
    }
  }

  @Test
  void s3CatalogReadersSeeOnlyWholeCatalogs() throws Exception {
    try (S3ProxyServer s3 = new S3ProxyServer(dir.resolve("s3"))) {
      s3.createBucket("sweeps");
      try (ObjectStore store = ObjectStores.open("s3://sweeps/s/", s3.options())) {
        assertReadersSeeWholeCatalogs(store, 40);
      }
    }
  }

  private static void assertReadersSeeWholeCatalogs(ObjectStore store, int writes) throws Exception {
    // two catalogs of very different sizes, so a torn read could not parse as either
    byte[] small = catalog(3).toJson();
    byte[] large = catalog(400).toJson();
    store.put(StorageLayout.CATALOG_FILE, small);
    AtomicBoolean writing = new AtomicBoolean(true);
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          while (writing.get()) {
            SweepCatalog c = SweepCatalog.fromJson(store.get(StorageLayout.CATALOG_FILE));
            seen.add(c.trials().size());
            reads++;
          }
          return reads;
        }));
      }
      for (int i = 0; i < writes; i++) {
        store.put(StorageLayout.CATALOG_FILE, i % 2 == 0 ? large : small);
      }
      writing.set(false);
      int reads = 0;
      for (Future<Integer> f : readers) {
        reads += f.get(60, TimeUnit.SECONDS); // a torn read would throw here
      }
      assertThat(reads).as("readers overlapped the writes").isPositive();
      assertThat(seen).isSubsetOf(3, 400).isNotEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  private static SweepCatalog catalog(int trials) {
    List<CatalogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= trials; i++) {
      Shape shape = BaseSize.TINY.shape().withEncoderLayers(i).withDecoderLayers(i);
      TrialResult r = new TrialResult();
      r.setNegLogPerplexity(-3.0 + Math.log(i) / 10);
      r.setTokensPerSecond(1e5 / i);
      long params = ParamCounter.count(shape);
      entries.add(new CatalogEntry("s-nl" + i, "NL" + i + "-TI", shape, TrialPhase.Succeeded, params,
          FlopCounter.trainingFlopsPerStep(shape, 8, 128, 29), r, "file:///r/" + i, null, null));
    }
    return SweepCatalog.of("s", "2026-11-22T00:00:00Z", entries);
  }
}
