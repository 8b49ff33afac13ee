package io.scalesweep.e2e;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The shipped example manifests, pointed at the cluster's store, as kubectl would apply them. */
final class Examples {

  private Examples() {}

  static Path root() {
    return Path.of(System.getProperty("e2e.root", ".")).toAbsolutePath().normalize();
  }

  /** {@code examples/<file>} with its storage endpoint replaced by the cluster's, then {@code edit}. */
  static ScalingSweep sweep(String file, E2ECluster cluster, Consumer<ScalingSweep> edit) throws IOException {
    ScalingSweep sweep = Serialization.unmarshal(Files.readString(root().resolve("examples").resolve(file)), ScalingSweep.class);
    sweep.getSpec().getStorage().setEndpoint(cluster.s3Endpoint());
    edit.accept(sweep);
    return sweep;
  }

  static String yaml(Object resource) {
    return Serialization.asYaml(resource);
  }
}
