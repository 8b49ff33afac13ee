package io.scalesweep.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A namespace of one's own for a test, as a team on a shared cluster has: Pod Security
 * {@code restricted} enforced (so every trial pod is proven admissible there) and its own copy of
 * the store's credentials Secret. Deleting it deletes everything the test made in the cluster; the
 * objects in the bucket stay under the namespace's own prefix.
 */
final class TestNamespace implements AutoCloseable {

  static final String E2E_LABEL = "scalesweep.io/e2e";

  private final KubernetesClient client;
  private final String name;

  private TestNamespace(KubernetesClient client, String name) {
    this.client = client;
    this.name = name;
  }

  static TestNamespace create(KubernetesClient client, String prefix) {
    String name = prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36).toLowerCase(Locale.ROOT);
    client.namespaces().resource(new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
            .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
            .addToLabels(E2E_LABEL, "true")
            .endMetadata()
            .build())
        .create();
    Secret demo = client.secrets().inNamespace(E2ECluster.DEMO_NAMESPACE).withName(E2ECluster.CREDENTIALS_SECRET).get();
    client.secrets().inNamespace(name).resource(new SecretBuilder()
            .withNewMetadata()
            .withName(E2ECluster.CREDENTIALS_SECRET)
            .endMetadata()
            .withData(demo.getData())
            .build())
        .create();
    return new TestNamespace(client, name);
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    client.namespaces().withName(name).delete();
  }
}
