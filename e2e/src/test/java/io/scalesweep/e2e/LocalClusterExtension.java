package io.scalesweep.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * Gives each test class the cluster under test: the one {@code -De2e.kubeconfig} names, or one that
 * {@code e2e/cluster up} brings up once for the whole run and {@code e2e/cluster down} takes away
 * at its end (unless {@code -De2e.keepCluster=true}). Tests take, as constructor or method
 * parameters, the {@link E2ECluster}, a {@link KubernetesClient} and {@link Namespaces} of their
 * own; the last two are closed (the namespaces deleted) after the test class.
 *
 * <p>Where the cluster cannot come up (no container runtime, not root), the suite is skipped with
 * the script's reason; under {@code CI=true} it fails instead, since CI is where it must run.
 */
public final class LocalClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(LocalClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == E2ECluster.class || type == KubernetesClient.class || type == Namespaces.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    E2ECluster cluster = cluster(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == E2ECluster.class) {
      return cluster;
    }
    Store store = classContext(context).getStore(NAMESPACE);
    KubernetesClient client = store.computeIfAbsent(ClassClient.class, k -> new ClassClient(cluster.client()), ClassClient.class).client;
    if (type == KubernetesClient.class) {
      return client;
    }
    return store.computeIfAbsent(Namespaces.class, k -> new Namespaces(client), Namespaces.class);
  }

  /** The test class's own context, whose store closes after its last test and its watchers. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private record ClassClient(KubernetesClient client) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  /** The cluster, when one came up in this run; null otherwise (for diagnostics). */
  static E2ECluster current(ExtensionContext context) {
    Holder holder = context.getRoot().getStore(NAMESPACE).get(Holder.class, Holder.class);
    return holder == null ? null : holder.cluster;
  }

  private static E2ECluster cluster(ExtensionContext context) {
    Holder holder = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Holder.class, k -> Holder.start(), Holder.class);
    if (holder.unavailable != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException("the e2e cluster must run in CI (CI=true): " + holder.unavailable);
      }
      throw new TestAbortedException("e2e suite skipped, no cluster here: " + holder.unavailable);
    }
    return holder.cluster;
  }

  /** Lives in the root store, so JUnit closes it (taking the cluster down) after the last class. */
  private static final class Holder implements AutoCloseable {
    private final E2ECluster cluster;
    private final String unavailable;
    private final ClusterScript broughtUpBy;

    private Holder(E2ECluster cluster, String unavailable, ClusterScript broughtUpBy) {
      this.cluster = cluster;
      this.unavailable = unavailable;
      this.broughtUpBy = broughtUpBy;
    }

    static Holder start() {
      Path root = Path.of(System.getProperty("e2e.root", ".")).toAbsolutePath().normalize();
      String kubeconfig = System.getProperty("e2e.kubeconfig", "");
      String endpoint = System.getProperty("e2e.s3Endpoint", System.getenv().getOrDefault("S3_ENDPOINT", ""));
      ClusterScript script = null;
      try {
        if (kubeconfig.isBlank()) {
          script = new ClusterScript(root);
          Map<String, String> up = script.up();
          kubeconfig = up.getOrDefault("KUBECONFIG", "");
          endpoint = up.getOrDefault("S3_ENDPOINT", "");
        }
        E2ECluster cluster = E2ECluster.connect(Path.of(kubeconfig), endpoint);
        removeLeftovers(cluster);
        return new Holder(cluster, null, script);
      } catch (ClusterScript.ClusterUnavailableException e) {
        return new Holder(null, e.getMessage(), null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while bringing the e2e cluster up", e);
      } catch (Exception e) {
        // The cluster is there but not as the suite needs it (no Secret, unreadable kubeconfig):
        // a broken setup, which fails everywhere rather than skipping quietly.
        new Holder(null, null, script).close();
        throw new IllegalStateException("the e2e cluster is not usable: " + e.getMessage(), e);
      }
    }

    /**
     * Namespaces an interrupted earlier run left (a kept cluster keeps its etcd): their sweeps
     * would train beside this run's and starve it of CPU.
     */
    private static void removeLeftovers(E2ECluster cluster) {
      try (var client = cluster.client()) {
        client.namespaces().withLabel(TestNamespace.E2E_LABEL, "true").delete();
      }
    }

    @Override
    public void close() {
      if (broughtUpBy != null && !Boolean.getBoolean("e2e.keepCluster")) {
        broughtUpBy.down();
      }
    }
  }
}
