package io.scalesweep.operator.it;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Points the Quarkus application under test at the shared kube-api-test server: fabric8 reads
 * the kubeconfig named by the {@code kubeconfig} system property when Quarkus builds its client.
 * The application watches one namespace of its own, so it never competes with the operators the
 * other ITs start in the same JVM. Like every operator the ITs run, it is the chart's
 * ServiceAccount with the chart's RBAC ({@link ChartRbac}), not the admin.
 */
public class KubeApiServerResource implements QuarkusTestResourceLifecycleManager {

  /** The only namespace the Quarkus application under test reconciles. */
  public static final String NAMESPACE = "operator-app";

  /**
   * The system property naming the user the application is ({@code system:serviceaccount:...});
   * a property, as Quarkus may load this class and the test in class loaders of their own.
   */
  static final String USERNAME_PROPERTY = "it.scalesweep.app.username";

  @Override
  public Map<String, String> start() {
    TestApiServer server = TestApiServer.shared();
    try {
      Path kubeconfig = Files.createTempFile("kube-api-test", ".yaml");
      kubeconfig.toFile().deleteOnExit();
      String yaml = server.kubeConfigYaml();
      ChartRbac.Mode mode = ChartRbac.Mode.fromProperty();
      if (mode != ChartRbac.Mode.ADMIN) {
        try (KubernetesClient admin = server.newClient()) {
          server.createNamespace(admin, NAMESPACE);
          ChartRbac.Installed rbac = ChartRbac.install(admin, mode == ChartRbac.Mode.NAMESPACED ? List.of(NAMESPACE) : List.of());
          yaml = ChartRbac.kubeconfig(admin, rbac);
          System.setProperty(USERNAME_PROPERTY, rbac.username());
        }
      }
      Files.writeString(kubeconfig, yaml);
      // A system property, not quarkus.kubernetes-client.kubeconfig-file: that one is fixed at
      // build time, and fabric8's auto-configuration honours the property at run time.
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
      try (KubernetesClient client = server.newClient()) {
        server.createNamespace(client, NAMESPACE);
      }
      // The admission policy as the chart renders it by default: empty lists, read as "anything".
      return Map.of(
          "quarkus.operator-sdk.namespaces", NAMESPACE,
          "scalesweep.policy.allow-operator-identity", "false",
          "scalesweep.policy.allowed-endpoints", "",
          "scalesweep.policy.allowed-image-prefixes", "",
          "scalesweep.policy.allowed-priority-classes", "",
          "scalesweep.policy.allowed-toleration-keys", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    System.clearProperty(USERNAME_PROPERTY);
  }
}
