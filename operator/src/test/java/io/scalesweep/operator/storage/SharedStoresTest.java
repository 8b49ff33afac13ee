package io.scalesweep.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.storage.ObjectStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedStoresTest {

  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

  @TempDir Path dir;

  @Test
  void oneStorePerNamespaceAndStorageReopenedAfterItsTime() {
    try (SharedStores stores = new SharedStores()) {
      ObjectStore first = stores.get(null, "team-a", spec("one"), T0);

      assertThat(stores.get(null, "team-a", spec("one"), T0.plusSeconds(60))).isSameAs(first);
      assertThat(stores.get(null, "team-b", spec("one"), T0)).isNotSameAs(first);
      assertThat(stores.get(null, "team-a", spec("two"), T0)).isNotSameAs(first);
      assertThat(stores.get(null, "team-a", spec("one"), T0.plus(SharedStores.REOPEN_AFTER))).isNotSameAs(first);
      assertThat(stores.size()).isEqualTo(3);
    }
  }

  @Test
  void keepsAtMostItsBoundOfStoresOpen() {
    try (SharedStores stores = new SharedStores()) {
      for (int i = 0; i < SharedStores.MAX_STORES + 10; i++) {
        stores.get(null, "ns-" + i, spec("one"), T0);
      }
      assertThat(stores.size()).isEqualTo(SharedStores.MAX_STORES);
    }
  }

  private StorageSpec spec(String folder) {
    StorageSpec spec = new StorageSpec();
    spec.setUri(dir.resolve(folder).toUri().toString());
    return spec;
  }
}
