package io.scalesweep.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The cluster under test: where its kubeconfig is, where the operator runs, and the S3 store its
 * pods reach. One per test JVM, brought up by {@link LocalClusterExtension}.
 *
 * <p>The store's credentials come from the Secret the trials use ({@code s3-credentials} in the
 * demo namespace that {@code e2e/cluster up} creates), so a cluster given by kubeconfig needs that
 * Secret and {@code -De2e.s3Endpoint} and nothing else.
 */
record E2ECluster(Path kubeconfig, String s3Endpoint, String accessKey, String secretKey) {

  static final String OPERATOR_NAMESPACE = System.getProperty("e2e.operatorNamespace", "scalesweep-system");
  static final String DEMO_NAMESPACE = "scalesweep-demo";
  static final String CREDENTIALS_SECRET = "s3-credentials";

  static E2ECluster connect(Path kubeconfig, String s3Endpoint) throws IOException {
    if (!Files.isReadable(kubeconfig)) {
      throw new IOException("no readable kubeconfig at " + kubeconfig);
    }
    if (s3Endpoint == null || s3Endpoint.isBlank()) {
      throw new IOException("no S3 endpoint: e2e/cluster up prints S3_ENDPOINT=, or pass -De2e.s3Endpoint=URL");
    }
    try (KubernetesClient client = client(kubeconfig)) {
      Secret secret = client.secrets().inNamespace(DEMO_NAMESPACE).withName(CREDENTIALS_SECRET).get();
      if (secret == null) {
        throw new IOException("no Secret " + DEMO_NAMESPACE + "/" + CREDENTIALS_SECRET + " with the store's credentials");
      }
      return new E2ECluster(
          kubeconfig,
          s3Endpoint,
          decode(secret, TrainerContract.ENV_AWS_ACCESS_KEY_ID),
          decode(secret, TrainerContract.ENV_AWS_SECRET_ACCESS_KEY));
    }
  }

  KubernetesClient client() {
    return client(kubeconfig);
  }

  /** The store the trials write to, as {@code root} (for example {@code s3://sweeps/}). */
  ObjectStore store(String root) {
    return ObjectStores.open(
        root, StorageOptions.defaults().withEndpoint(s3Endpoint).withPathStyle(true).withCredentials(accessKey, secretKey));
  }

  Map<String, String> environment() {
    return Map.of("KUBECONFIG", kubeconfig.toString());
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + kubeconfig, e);
    }
  }

  private static String decode(Secret secret, String key) throws IOException {
    String value = secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      throw new IOException("Secret " + CREDENTIALS_SECRET + " has no key " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }
}
