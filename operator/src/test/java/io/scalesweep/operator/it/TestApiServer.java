package io.scalesweep.operator.it;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.scalesweep.operator.common.ClientSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real kube-apiserver and etcd (fabric8 kube-api-test) shared by the operator ITs of a test
 * JVM, with the scalesweep CRDs installed. Each test works in a namespace of its own.
 *
 * <p>Configured through the builder, not kube-api-test's environment variables (those crash with
 * a ClassCastException in 7.x): offline whenever the binaries are already on disk (built by
 * {@code .ci/kube-binaries.sh} where there is no internet), so nothing is looked up online; the
 * version that script builds; and a startup timeout that suits a busy 2-core machine. Override
 * the version with {@code -Dkubeapitest.version=X.Y.Z}.
 *
 * <p>The server authorizes with RBAC (kube-api-test's default) and keeps an audit log of the
 * requests of ServiceAccounts ({@link AuditLog}): the operator runs as the chart's ServiceAccount
 * ({@link ChartRbac}), the tests drive the cluster as an admin RBAC does not restrict.
 */
public final class TestApiServer {

  public static final String KUBE_VERSION = System.getProperty("kubeapitest.version", "1.32.13");
  private static final int STARTUP_TIMEOUT_MS = 180_000;
  /** The CRDs as the api module generated them (also what crds/ holds, by the drift test). */
  static final List<String> CRD_RESOURCES = List.of(
      "META-INF/fabric8/scalingsweeps.scalesweep.io-v1.yml",
      "META-INF/fabric8/trainingjobs.scalesweep.io-v1.yml");

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static TestApiServer shared;

  private final KubeAPIServer server;
  private final String kubeConfigYaml;
  private final AuditLog auditLog;

  private TestApiServer() {
    Path audit = auditDir();
    auditLog = new AuditLog(audit.resolve("audit.log"));
    server = new KubeAPIServer(
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withApiServerVersion(KUBE_VERSION)
            .withOfflineMode(binariesPresent())
            .withStartupTimeout(STARTUP_TIMEOUT_MS)
            .withUpdateKubeConfig(false)
            // kube-api-test already authorizes with RBAC and signs ServiceAccount tokens; the
            // audit log records what ServiceAccounts (the operator under test) asked for
            .withApiServerFlag("--audit-policy-file", audit.resolve("policy.yaml").toString())
            .withApiServerFlag("--audit-log-path", audit.resolve("audit.log").toString())
            // as OpenShift does: setting blockOwnerDeletion on an owner reference needs the
            // right to update the owner's finalizers, so the ITs tell whether the chart needs it
            .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
            .build());
    server.start();
    kubeConfigYaml = server.getKubeConfigYaml();
    try (KubernetesClient client = newClient()) {
      installCrds(client);
    }
  }

  /** A fresh folder for the audit policy and log (target/kube-audit-* in the module). */
  private static Path auditDir() {
    try {
      Path target = Path.of("target");
      Path dir = Files.isDirectory(target)
          ? Files.createTempDirectory(target.toAbsolutePath(), "kube-audit-")
          : Files.createTempDirectory("kube-audit-");
      Files.writeString(dir.resolve("policy.yaml"), AuditLog.POLICY);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean binariesPresent() {
    return Files.isRegularFile(
        Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s", KUBE_VERSION + "-linux-amd64", "kube-apiserver"));
  }

  /** The server of this JVM, started (and given the CRDs) on first use; stopped at JVM exit. */
  public static synchronized TestApiServer shared() {
    if (shared == null) {
      shared = new TestApiServer();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.server::stop, "kube-api-test-stop"));
    }
    return shared;
  }

  /** What ServiceAccounts asked this server for, and whether it let them. */
  AuditLog auditLog() {
    return auditLog;
  }

  public String kubeConfigYaml() {
    return kubeConfigYaml;
  }

  /** A new client of its own: closing it does not affect other users of the server. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeConfigYaml))
        .withKubernetesSerialization(ClientSerialization.create())
        .build();
  }

  /** A new client whose every request passes through the interceptor (to count them). */
  public KubernetesClient newClient(Interceptor interceptor) {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeConfigYaml))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("observer", interceptor))
        .withKubernetesSerialization(ClientSerialization.create())
        .build();
  }

  /**
   * A fresh namespace, with the {@code default} ServiceAccount a controller manager would have
   * created (pod admission looks it up, and a bare API server runs no controllers).
   */
  public String newNamespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    createNamespace(client, name);
    return name;
  }

  /** Creates the namespace and its default ServiceAccount, or leaves them as they are. */
  public void createNamespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
    client.serviceAccounts().inNamespace(name)
        .resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
        .serverSideApply();
  }

  static void installCrds(KubernetesClient client) {
    for (String resource : CRD_RESOURCES) {
      try (InputStream in = TestApiServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the test classpath; build the api module first");
        }
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.resource(crd).serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(TestApiServer::established, 60, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
