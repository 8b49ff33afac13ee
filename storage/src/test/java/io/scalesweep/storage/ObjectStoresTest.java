package io.scalesweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.contract.StorageLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {

  static final StorageOptions OPTIONS = StorageOptions.defaults().withCredentials("a", "b");

  @TempDir Path local;

  @Test
  void s3RootsAreBucketPlusPrefixEndingWithSlash() {
    assertThat(root("s3://sweeps")).isEqualTo("s3://sweeps/");
    assertThat(root("s3://sweeps/")).isEqualTo("s3://sweeps/");
    assertThat(root("s3://sweeps/team-a/runs")).isEqualTo("s3://sweeps/team-a/runs/");
    assertThat(root("s3://my.bucket.example/x/")).isEqualTo("s3://my.bucket.example/x/");
  }

  @Test
  void fileRootsAcceptUrisAndPlainPaths() {
    String expected = "file://" + local.toAbsolutePath() + "/";

    assertThat(root("file://" + local)).isEqualTo(expected);
    assertThat(root("file:" + local)).isEqualTo(expected);
    assertThat(root(local.toString())).isEqualTo(expected);
  }

  @Test
  void storageLayoutUrisMapToKeysBelowTheRoot() {
    try (ObjectStore store = ObjectStores.open("s3://sweeps/", OPTIONS)) {
      String trial = StorageLayout.trialUri(store.root(), "team-a", "deepnarrow", "deepnarrow-nl16-sm");
      String manifest =
          StorageLayout.checkpointUri(trial, 5000) + StorageLayout.CHECKPOINT_MANIFEST;

      assertThat(store.keyOf(StorageLayout.catalogUri(store.root(), "team-a", "deepnarrow")))
          .isEqualTo("team-a/deepnarrow/catalog.json");
      assertThat(store.keyOf(manifest))
          .isEqualTo("team-a/deepnarrow/deepnarrow-nl16-sm/checkpoints/step-5000/manifest.json");
      assertThat(store.uriOf(store.keyOf(manifest))).isEqualTo(manifest);
    }
  }

  @Test
  void unsupportedOrMalformedRootsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ObjectStores.open("gs://bucket/", OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unsupported scheme 'gs'");
    assertThatThrownBy(() -> ObjectStores.open("s3:///no-bucket", OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no bucket");
    assertThatThrownBy(() -> ObjectStores.open("file://nas/share", OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be local");
    assertThatThrownBy(() -> ObjectStores.open("s3://bucket/../x", OPTIONS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ObjectStores.open(" ", OPTIONS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String root(String uri) {
    try (ObjectStore store = ObjectStores.open(uri, OPTIONS)) {
      return store.root();
    }
  }
}
