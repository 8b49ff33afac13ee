package io.scalesweep.storage;

import static io.scalesweep.storage.ObjectStoreContract.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.contract.StorageLayout;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkedFolderTest {

  static final String MANIFEST = StorageLayout.CHECKPOINT_MANIFEST;

  @TempDir Path local;
  ObjectStore store;

  @BeforeEach
  void open() {
    store = new FileObjectStore(local.resolve("store"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static MarkedFolder checkpoint(ObjectStore store, long step) {
    return MarkedFolder.of(store, "checkpoints/step-" + step, MANIFEST);
  }

  @Test
  void aFolderIsCompleteOnlyOnceItsMarkerIsWritten() throws IOException {
    MarkedFolder cp = checkpoint(store, 100);
    cp.begin();
    cp.put("weights.bin", new byte[1000]);
    cp.put("optimizer.bin", new byte[2000]);
    assertThat(cp.isComplete()).isFalse();

    cp.commit(utf8("{\"step\":100}"));

    assertThat(cp.isComplete()).isTrue();
    assertThat(cp.readMarker()).isEqualTo(utf8("{\"step\":100}"));
    assertThat(cp.folder()).isEqualTo("checkpoints/step-100/");
  }

  @Test
  void listCompleteFindsOnlyCompleteFoldersDirectlyBelowTheParent() throws IOException {
    for (long step : new long[] {1, 10}) {
      MarkedFolder cp = checkpoint(store, step);
      cp.put("weights.bin", new byte[1]);
      cp.commit(utf8("{}"));
    }
    checkpoint(store, 2).put("weights.bin", new byte[1]); // the writer died here
    store.put("checkpoints/step-3/nested/" + MANIFEST, utf8("{}"));
    store.put("checkpoints/" + MANIFEST, utf8("{}"));

    assertThat(MarkedFolder.listComplete(store, "checkpoints", MANIFEST))
        .containsExactly("checkpoints/step-1/", "checkpoints/step-10/");
  }

  @Test
  void rewritingACompleteFolderHidesItBeforeTouchingItsObjects() throws IOException {
    MarkedFolder cp = checkpoint(store, 5);
    cp.put("weights.bin", utf8("v1"));
    cp.commit(utf8("{\"v\":1}"));

    cp.begin();
    cp.put("weights.bin", utf8("v2")); // a retried pod, dying before its commit

    assertThat(cp.isComplete()).isFalse();
    assertThat(MarkedFolder.listComplete(store, "checkpoints/", MANIFEST)).isEmpty();
  }

  @Test
  void theMarkerCanOnlyBeWrittenByCommit() {
    MarkedFolder cp = checkpoint(store, 5);

    assertThatThrownBy(() -> cp.put(MANIFEST, utf8("{}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("commit()");
  }

  @Test
  void discardRemovesEverything() throws IOException {
    MarkedFolder cp = checkpoint(store, 5);
    cp.put("weights.bin", utf8("w"));
    cp.commit(utf8("{}"));
    store.put("checkpoints/step-50/weights.bin", utf8("other"));

    cp.discard();

    assertThat(store.list("")).containsExactly("checkpoints/step-50/weights.bin");
  }

  @Test
  void aDiscardThatDiesMidwayLeavesAnIncompleteFolderNotABrokenCompleteOne() throws IOException {
    MarkedFolder cp = checkpoint(store, 5);
    cp.put("weights.bin", utf8("w"));
    cp.commit(utf8("{}"));
    ObjectStore failingBulkDelete = failing(store, "deletePrefix");

    assertThatThrownBy(() -> MarkedFolder.of(failingBulkDelete, cp.folder(), MANIFEST).discard())
        .isInstanceOf(IOException.class);

    assertThat(cp.isComplete()).isFalse();
    assertThat(store.exists("checkpoints/step-5/weights.bin")).isTrue();
  }

  @Test
  void aCheckpointWhoseManifestWriteFailedIsNotComplete() throws Exception {
    try (S3ProxyServer server = new S3ProxyServer(local.resolve("s3"))) {
      server.createBucket("checkpoints");
      try (ObjectStore s3 = ObjectStores.open("s3://checkpoints/trial/", server.options())) {
        MarkedFolder cp = checkpoint(s3, 7);
        cp.begin();
        cp.put("weights.bin", new byte[10_000]);
        server.stop();

        assertThatThrownBy(() -> cp.commit(utf8("{}")))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("s3://checkpoints/trial/checkpoints/step-7/" + MANIFEST);

        server.start();
        assertThat(cp.isComplete()).isFalse();
        assertThat(MarkedFolder.listComplete(s3, "checkpoints/", MANIFEST)).isEmpty();
        assertThat(s3.exists("checkpoints/step-7/weights.bin")).isTrue();
      }
    }
  }

  @Test
  void foldersMustBeBelowTheRootAndMarkersPlainNames() {
    assertThatThrownBy(() -> MarkedFolder.of(store, "", MANIFEST))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MarkedFolder.of(store, "a", "sub/" + MANIFEST))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MarkedFolder.of(store, "../a", MANIFEST))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** {@code store}, except that {@code method} fails as an unreachable server would. */
  static ObjectStore failing(ObjectStore store, String method) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                throw new IOException("injected: " + method + " failed");
              }
              try {
                return m.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
