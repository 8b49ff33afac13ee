package io.scalesweep.e2e;

import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When an e2e test fails, prints what a person would look at first: every object of the test
 * namespaces, their events, the logs of their pods and of the operator. A CI log that says only
 * "timed out waiting for Succeeded" is useless on a machine nobody can log in to.
 */
public final class DiagnosticsOnFailure implements TestWatcher {

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    E2ECluster cluster = LocalClusterExtension.current(context);
    if (cluster == null) {
      return;
    }
    Kubectl kubectl = new Kubectl(cluster);
    List<String> namespaces = new ArrayList<>();
    try (var client = cluster.client()) {
      client.namespaces().withLabel(TestNamespace.E2E_LABEL, "true").list().getItems().stream()
          .map(Namespace::getMetadata)
          .map(m -> m.getName())
          .forEach(namespaces::add);
    } catch (RuntimeException e) {
      System.out.println("diagnostics: cannot list namespaces: " + e);
    }
    StringBuilder out = new StringBuilder("\n===== diagnostics for " + context.getDisplayName() + " =====\n");
    out.append(kubectl.tryRun("get", "nodes", "-o", "wide"));
    for (String ns : namespaces) {
      out.append("\n--- namespace ").append(ns).append(" ---\n");
      out.append(kubectl.tryRun("get", "scalingsweeps,trainingjobs,jobs,pods,configmaps", "-n", ns, "-o", "wide"));
      out.append(kubectl.tryRun("get", "scalingsweeps", "-n", ns, "-o", "yaml"));
      out.append(kubectl.tryRun("get", "events", "-n", ns, "--sort-by=.lastTimestamp"));
      out.append(kubectl.tryRun("logs", "-n", ns, "--all-containers", "--prefix", "--tail=40", "-l", "batch.kubernetes.io/job-name"));
    }
    out.append("\n--- operator ---\n");
    out.append(kubectl.tryRun("get", "pods", "-n", E2ECluster.OPERATOR_NAMESPACE, "-o", "wide"));
    out.append(kubectl.tryRun("logs", "-n", E2ECluster.OPERATOR_NAMESPACE, "--tail=150", "-l", "app.kubernetes.io/name=scalesweep"));
    System.out.println(out);
  }
}
