package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.config.DeletionSettings;
import io.scalesweep.operator.sweep.SweepDeletion;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart's RBAC against a real API server that authorizes with it: the operator runs as the
 * chart's ServiceAccount, and the API server's audit log tells which of its rights it used and
 * whether it was refused any. Every other IT runs the operator the same way ({@link
 * OperatorUnderTest}), so a right the chart lacks fails them; this one shows that each right the
 * chart grants is used, that nothing reaches beyond the watched namespaces, and that taking a
 * right away is caught.
 */
class RbacIT {

  /** Nothing listens there: storage calls fail at once, and deletion gives up after its timeout. */
  private static final String REFUSING_ENDPOINT = "http://127.0.0.1:9";
  private static final int START_DEADLINE_SECONDS = 8;
  /**
   * Long enough for two passes that wait for the running trial's pod (they come every 2 seconds,
   * later on a loaded machine), short enough that giving up on the refusing store is quick.
   */
  private static final DeletionSettings QUICK_DELETION = new DeletionSettings(Duration.ofSeconds(15));

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient admin;

  @BeforeEach
  void start() {
    admin = server.newClient();
  }

  @AfterEach
  void stop() {
    admin.close();
  }

  @Test
  void withWatchNamespacesTheOperatorUsesEveryRightOfItsRolesAndNothingOutsideThem() {
    String namespace = server.newNamespace(admin, "rbac-ns");
    try (OperatorUnderTest operator =
        new OperatorUnderTest(admin, OperatorUnderTest.SETTINGS, ChartRbac.Mode.NAMESPACED, namespace)
            .withDeletion(QUICK_DELETION).start()) {
      ChartRbac.Installed rbac = operator.rbac();
      assertThat(rbac.boundClusterRoles()).as("cluster-wide rights of the operator").isEmpty();
      assertThat(rbac.roles()).extracting(r -> r.getMetadata().getNamespace()).containsExactly(namespace);

      runSweepAndDeleteIt(namespace, rbac.username());

      AuditLog audit = server.auditLog();
      assertThat(audit.usedRights(rbac.username())).as("rights used").containsExactlyElementsOf(rbac.grantedRights());
      assertThat(audit.requests(rbac.username())).allSatisfy(r -> assertThat(r.namespace()).isEqualTo(namespace));
    }
  }

  /** The default install: every namespace, with one ClusterRole of the same rules. */
  @Test
  void watchingEveryNamespaceTheOperatorUsesEveryRightOfItsClusterRole() {
    String namespace = server.newNamespace(admin, "rbac-all");
    try (OperatorUnderTest operator = new OperatorUnderTest(admin, OperatorUnderTest.SETTINGS, ChartRbac.Mode.CLUSTER)
        .withDeletion(QUICK_DELETION).start()) {
      ChartRbac.Installed rbac = operator.rbac();
      assertThat(rbac.roles()).isEmpty();
      assertThat(rbac.boundClusterRoles()).hasSize(1);

      runSweepAndDeleteIt(namespace, rbac.username());

      AuditLog audit = server.auditLog();
      assertThat(audit.usedRights(rbac.username())).as("rights used").containsExactlyElementsOf(rbac.grantedRights());
      assertThat(audit.requests(rbac.username()))
          .filteredOn(r -> r.verb().equals("watch"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.namespace()).as("informers of %s", r.resource()).isNull());
      // Besides the informers' lists, only a sweep being deleted lists its own namespace's
      // TrainingJobs and pods, and a trial whose Job has no pod its Job's FailedCreate Events.
      assertThat(audit.requests(rbac.username()))
          .filteredOn(r -> r.verb().equals("list") && r.namespace() != null)
          .allSatisfy(r -> assertThat(r.resource()).isIn("trainingjobs", "pods", "events"));
    }
  }

  /**
   * A right missing from the chart fails the test that needs it, also where the operator only
   * logs the failure (an Event it could not record): closing the operator checks the audit log.
   */
  @ParameterizedTest(name = "without {2} {0}/{1}")
  @CsvSource({"batch, jobs, create", "'', events, create", "'', secrets, get"})
  void aRightTakenFromTheChartFailsTheTest(String group, String resource, String verb) {
    String namespace = server.newNamespace(admin, "rbac-less");
    OperatorUnderTest operator = new OperatorUnderTest(admin, OperatorUnderTest.SETTINGS, ChartRbac.Mode.NAMESPACED, namespace)
        .withRbacEdit(objects -> without(objects, group, resource, verb))
        .start();
    String username = operator.rbac().username();
    new FakeJobController(admin, namespace); // the storage Secret, without which no Job is attempted
    TrainingJob trial = Fixtures.trainingJob("lacking");
    trial.getMetadata().setNamespace(namespace);
    trial.getMetadata().setUid(null);
    trial.getMetadata().setGeneration(null);
    admin.resource(trial).create();
    ScalingSweep sweep = Fixtures.sweep("lacking", List.of(2), List.of(1024));
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    admin.resource(sweep).create();

    await().atMost(SweepDriver.TIMEOUT).until(() ->
        server.auditLog().refused(username).stream().anyMatch(r -> r.resource().equals(resource)));
    if (resource.equals("jobs")) {
      assertThat(admin.batch().v1().jobs().inNamespace(namespace).list().getItems()).isEmpty();
    }
    assertThatThrownBy(operator::close).isInstanceOf(AssertionError.class)
        .hasMessageContaining("the chart's RBAC lacks them").hasMessageContaining("resource=" + resource);
  }

  @Test
  void withWatchNamespacesNothingIsGrantedBeyondWhatTheOperatorDoes() {
    String namespace = server.newNamespace(admin, "rbac-deny");
    String other = server.newNamespace(admin, "rbac-other");
    ChartRbac.Installed rbac = ChartRbac.install(admin, List.of(namespace));
    try {
      assertThat(ChartRbac.allowed(admin, rbac, namespace, "get", "", "secrets")).isTrue();
      assertThat(ChartRbac.allowed(admin, rbac, namespace, "create", "batch", "jobs")).isTrue();
      List<String[]> refused = List.of(
          new String[] {namespace, "list", "", "secrets"},
          new String[] {namespace, "watch", "", "secrets"},
          new String[] {other, "get", "", "secrets"},
          new String[] {null, "get", "", "secrets"},
          new String[] {null, "list", "batch", "jobs"},
          new String[] {other, "list", "batch", "jobs"},
          new String[] {other, "list", "scalesweep.io", "scalingsweeps"},
          new String[] {namespace, "get", "batch", "jobs"},
          new String[] {namespace, "update", "batch", "jobs"},
          new String[] {namespace, "deletecollection", "batch", "jobs"},
          new String[] {namespace, "get", "", "pods"},
          new String[] {namespace, "create", "", "pods"},
          new String[] {namespace, "delete", "", "pods"},
          new String[] {namespace, "get", "", "pods/log"},
          new String[] {namespace, "patch", "", "configmaps"},
          new String[] {namespace, "update", "", "configmaps"},
          new String[] {namespace, "create", "scalesweep.io", "scalingsweeps"},
          new String[] {namespace, "update", "scalesweep.io", "scalingsweeps"},
          new String[] {namespace, "delete", "scalesweep.io", "scalingsweeps"},
          new String[] {namespace, "deletecollection", "scalesweep.io", "trainingjobs"},
          new String[] {namespace, "update", "scalesweep.io", "trainingjobs/status"},
          new String[] {namespace, "update", "scalesweep.io", "scalingsweeps/finalizers"},
          new String[] {namespace, "update", "", "events"},
          new String[] {namespace, "create", "events.k8s.io", "events"},
          new String[] {ChartRbac.RELEASE_NAMESPACE, "get", "coordination.k8s.io", "leases"},
          new String[] {ChartRbac.RELEASE_NAMESPACE, "create", "coordination.k8s.io", "leases"},
          new String[] {null, "list", "apiextensions.k8s.io", "customresourcedefinitions"},
          new String[] {null, "list", "", "namespaces"});
      for (String[] r : refused) {
        assertThat(ChartRbac.allowed(admin, rbac, r[0], r[1], r[2], r[3]))
            .as("%s %s/%s in %s", r[1], r[2], r[3], r[0] == null ? "every namespace" : r[0]).isFalse();
      }
    } finally {
      ChartRbac.uninstall(admin, rbac);
    }
  }

  @Test
  void watchingEveryNamespaceSecretsAreStillOnlyReadByName() {
    ChartRbac.Installed rbac = ChartRbac.install(admin, List.of());
    try {
      assertThat(ChartRbac.allowed(admin, rbac, null, "get", "", "secrets")).isTrue();
      assertThat(ChartRbac.allowed(admin, rbac, null, "list", "batch", "jobs")).isTrue();
      for (String[] r : List.of(
          new String[] {"list", "", "secrets"},
          new String[] {"watch", "", "secrets"},
          new String[] {"create", "", "pods"},
          new String[] {"deletecollection", "batch", "jobs"},
          new String[] {"update", "", "configmaps"},
          new String[] {"delete", "scalesweep.io", "scalingsweeps"},
          new String[] {"get", "coordination.k8s.io", "leases"},
          new String[] {"list", "apiextensions.k8s.io", "customresourcedefinitions"})) {
        assertThat(ChartRbac.allowed(admin, rbac, null, r[0], r[1], r[2])).as("%s %s/%s", r[0], r[1], r[2]).isFalse();
      }
    } finally {
      ChartRbac.uninstall(admin, rbac);
    }
  }

  /**
   * The test API server enforces owner-reference permissions (as OpenShift does): an owner
   * reference that blocks its owner's deletion needs the right to update the owner's finalizers,
   * which the chart does not grant. The operator's owner references do not block, so the ITs
   * passing shows it does not need that right.
   */
  @Test
  void anOwnerReferenceThatBlocksDeletionWouldNeedARightTheOperatorDoesNotHave() {
    String namespace = server.newNamespace(admin, "rbac-owner");
    ChartRbac.Installed rbac = ChartRbac.install(admin, List.of(namespace));
    try (KubernetesClient operator = ChartRbac.client(admin, rbac, null)) {
      TrainingJob trial = Fixtures.trainingJob("owner");
      trial.getMetadata().setNamespace(namespace);
      trial.getMetadata().setUid(null);
      trial.getMetadata().setGeneration(null);
      TrainingJob owner = admin.resource(trial).create();

      KubernetesClientException refused = (KubernetesClientException) org.assertj.core.api.Assertions.catchThrowable(() ->
          operator.resource(ownedConfigMap(namespace, "blocking", owner, true)).create());
      assertThat(refused).isNotNull();
      assertThat(refused.getCode()).isEqualTo(403);
      assertThat(refused.getMessage()).contains("blockOwnerDeletion");
      assertThat(operator.resource(ownedConfigMap(namespace, "owned", owner, null)).create()).isNotNull();
    } finally {
      ChartRbac.uninstall(admin, rbac);
    }
  }

  /**
   * A sweep whose objects go with it (finalizer, Events, storage Secret read), one trial at a
   * time: the first succeeds; the second's Job has no pod for a while (the operator then looks
   * for FailedCreate Events), then its image cannot be pulled, so its start deadline fails it and
   * deletes its Job; the sweep is deleted while the third runs, so that deletion stops it (a
   * repeated Event while its pod stops) and gives up on a store that refuses connections.
   */
  private void runSweepAndDeleteIt(String namespace, String operatorUser) {
    admin.resource(new SecretBuilder()
        .withNewMetadata().withName(Fixtures.storage().getSecretRef()).withNamespace(namespace).endMetadata()
        .addToStringData("AWS_ACCESS_KEY_ID", "rbac")
        .addToStringData("AWS_SECRET_ACCESS_KEY", "rbac")
        .build()).create();
    ScalingSweep sweep = Fixtures.sweep("rbac", List.of(2), List.of(1024));
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    sweep.getSpec().setParallelism(1);
    sweep.getSpec().setStartDeadlineSeconds(START_DEADLINE_SECONDS);
    sweep.getSpec().getStorage().setEndpoint(REFUSING_ENDPOINT);
    sweep.getSpec().getStorage().setDeleteOnSweepDeletion(true);
    admin.resource(sweep).create();
    try (SweepDriver cluster = new SweepDriver(admin, namespace)) {
      String first = cluster.succeedNext(tj -> PodStates.result(10_000_000L, -2.0, null, 900.0));
      Job second = await().atMost(SweepDriver.TIMEOUT).until(
          () -> admin.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
              .filter(j -> cluster.jobs().podsOf(j).isEmpty()).findFirst(),
          java.util.Optional::isPresent).orElseThrow();
      await().atMost(SweepDriver.TIMEOUT).until(() -> server.auditLog().requests(operatorUser).stream()
          .anyMatch(r -> r.verb().equals("list") && r.resource().equals("events")));
      cluster.jobs().stuckPod(second, "ImagePullBackOff", "Back-off pulling image");
      await().atMost(SweepDriver.TIMEOUT).until(() -> admin.batch().v1().jobs().inNamespace(namespace)
          .withName(second.getMetadata().getName()).get() == null);
      Pod running = cluster.nextRunningTrial().getValue();

      admin.resources(ScalingSweep.class).inNamespace(namespace).withName("rbac").delete();
      await().atMost(SweepDriver.TIMEOUT).until(() -> cluster.trainingJobs().stream()
          .allMatch(t -> TrainingJobStatus.finished(t.getStatus())));
      assertThat(cluster.trainingJob(first)).isNotNull();
      await().atMost(SweepDriver.TIMEOUT).until(() -> admin.v1().events().inNamespace(namespace).list().getItems().stream()
          .anyMatch(e -> SweepDeletion.REASON_WAITING_FOR_PODS.equals(e.getReason()) && e.getCount() >= 2));
      admin.resource(running).withGracePeriod(0).delete();
    }
    await().atMost(SweepDriver.TIMEOUT).until(() ->
        admin.resources(ScalingSweep.class).inNamespace(namespace).withName("rbac").get() == null);
  }

  private static ConfigMap ownedConfigMap(String namespace, String name, TrainingJob owner, Boolean blockOwnerDeletion) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(owner.getApiVersion())
            .withKind(owner.getKind())
            .withName(owner.getMetadata().getName())
            .withUid(owner.getMetadata().getUid())
            .withBlockOwnerDeletion(blockOwnerDeletion)
            .build())
        .endMetadata()
        .build();
  }

  /** The chart's objects with one verb taken from the Roles' rules on one resource. */
  private static List<HasMetadata> without(List<HasMetadata> objects, String group, String resource, String verb) {
    List<HasMetadata> edited = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (!(o instanceof Role role)) {
        edited.add(o);
        continue;
      }
      List<PolicyRule> rules = new ArrayList<>();
      for (PolicyRule rule : role.getRules()) {
        if (!rule.getApiGroups().contains(group) || !rule.getResources().contains(resource)) {
          rules.add(rule);
          continue;
        }
        List<String> others = rule.getResources().stream().filter(r -> !r.equals(resource)).toList();
        if (!others.isEmpty()) {
          rules.add(new PolicyRuleBuilder(rule).withResources(others).build());
        }
        List<String> verbs = rule.getVerbs().stream().filter(v -> !v.equals(verb)).toList();
        if (!verbs.isEmpty()) {
          rules.add(new PolicyRuleBuilder(rule).withResources(resource).withVerbs(verbs).build());
        }
      }
      edited.add(new RoleBuilder(role).withRules(rules).build());
    }
    return edited;
  }
}
