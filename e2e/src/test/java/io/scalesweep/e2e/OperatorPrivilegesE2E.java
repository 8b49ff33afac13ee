package io.scalesweep.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator the other e2e tests rely on runs as the chart installed it: its own
 * ServiceAccount bound to the chart's RBAC, not an administrator's identity. Since those tests pass
 * only if every call the operator makes is allowed, together they prove the chart grants enough;
 * this one proves it runs under that grant, hardened as the chart says, and no more.
 */
@ExtendWith({LocalClusterExtension.class, DiagnosticsOnFailure.class})
class OperatorPrivilegesE2E {

  @Test
  void theOperatorRunsAsTheChartsServiceAccountWithoutAdminRights(E2ECluster cluster, KubernetesClient client) {
    List<Pod> pods = client.pods().inNamespace(E2ECluster.OPERATOR_NAMESPACE)
        .withLabel("app.kubernetes.io/name", "scalesweep").list().getItems();
    assertThat(pods).isNotEmpty();
    Pod operator = pods.get(0);
    String account = operator.getSpec().getServiceAccountName();
    assertThat(account).isNotBlank().isNotEqualTo("default");
    assertThat(operator.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getStatus().getContainerStatuses()).allSatisfy(s -> assertThat(s.getReady()).isTrue());

    String as = "--as=system:serviceaccount:" + E2ECluster.OPERATOR_NAMESPACE + ":" + account;
    Kubectl kubectl = new Kubectl(cluster);
    // What it needs...
    assertThat(canI(kubectl, as, "create", "jobs.batch", "-n", E2ECluster.DEMO_NAMESPACE)).isTrue();
    assertThat(canI(kubectl, as, "patch", "scalingsweeps.scalesweep.io/status", "-n", E2ECluster.DEMO_NAMESPACE)).isTrue();
    // ...and none of what an administrator has.
    assertThat(canI(kubectl, as, "*", "*", "--all-namespaces")).isFalse();
    assertThat(canI(kubectl, as, "create", "pods", "-n", E2ECluster.DEMO_NAMESPACE)).isFalse();
    assertThat(canI(kubectl, as, "create", "clusterrolebindings")).isFalse();
    assertThat(canI(kubectl, as, "delete", "namespaces")).isFalse();
  }

  /** {@code kubectl auth can-i} prints yes or no and exits 0 or 1. */
  private static boolean canI(Kubectl kubectl, String as, String... args) {
    String[] command = new String[args.length + 3];
    command[0] = "auth";
    command[1] = "can-i";
    System.arraycopy(args, 0, command, 2, args.length);
    command[command.length - 1] = as;
    String answer = kubectl.tryRun(command).trim();
    assertThat(answer).as("kubectl auth can-i %s", String.join(" ", args)).matches("(?s)(yes|no).*");
    return answer.startsWith("yes");
  }
}
