package io.scalesweep.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespaces one test class makes, deleted after it (kept with {@code -De2e.keepNamespaces=true},
 * to look at what a failed test left).
 */
final class Namespaces implements AutoCloseable {

  private final KubernetesClient client;
  private final List<TestNamespace> created = new ArrayList<>();

  Namespaces(KubernetesClient client) {
    this.client = client;
  }

  synchronized TestNamespace create(String prefix) {
    TestNamespace ns = TestNamespace.create(client, prefix);
    created.add(ns);
    return ns;
  }

  @Override
  public synchronized void close() {
    if (!Boolean.getBoolean("e2e.keepNamespaces")) {
      created.forEach(TestNamespace::close);
    }
    created.clear();
  }
}
