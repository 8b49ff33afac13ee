package io.scalesweep.operator.common;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Whether a Secret a resource names exists. The operator may only get Secrets by name (never list
 * or watch them, so it holds none in memory): callers look again later, with {@link Recheck}.
 * Only the metadata matters, but a get returns the whole Secret; its data is dropped at once.
 */
public final class SecretPresence {

  private SecretPresence() {}

  /** @throws io.fabric8.kubernetes.client.KubernetesClientException when the get itself fails */
  public static boolean exists(KubernetesClient client, String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get() != null;
  }
}
