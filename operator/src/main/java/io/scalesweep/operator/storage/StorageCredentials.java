package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.storage.StorageOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Storage options for a sweep: endpoint and addressing from its spec, keys from the Secret its
 * {@code secretRef} names (in the sweep's namespace), else the SDK's default chain. Messages name
 * the Secret and its keys, never their values.
 */
public final class StorageCredentials {

  private StorageCredentials() {}

  /** @throws StorageUnavailableException when the Secret is missing or lacks a key */
  public static StorageOptions options(KubernetesClient client, String namespace, StorageSpec spec) {
    StorageOptions options = StorageOptions.fromSpec(spec);
    String ref = spec.getSecretRef();
    if (ref == null || ref.isBlank()) {
      return options;
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(ref).get();
    if (secret == null) {
      throw new StorageUnavailableException("Secret " + ref + " (spec.storage.secretRef) not found in namespace " + namespace);
    }
    String id = value(secret, TrainerContract.ENV_AWS_ACCESS_KEY_ID);
    String key = value(secret, TrainerContract.ENV_AWS_SECRET_ACCESS_KEY);
    return options.withCredentials(id, key);
  }

  private static String value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8).trim();
    }
    Map<String, String> plain = secret.getStringData();
    if (plain != null && plain.get(key) != null) {
      return plain.get(key).trim();
    }
    throw new StorageUnavailableException("Secret " + secret.getMetadata().getName() + " has no key " + key);
  }
}
