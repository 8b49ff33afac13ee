package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ParetoSet;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.testing.SweepStates;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole sweeps against a real API server: parallelism, the results and Pareto set in status, an
 * operator restart in the middle, suspension and the failure budget.
 */
class ScalingSweepIT {

  /**
   * Planted upstream quality per trial index (params grow with the index). Indices 2, 4, 6, 8 and
   * 10 are beaten by a cheaper trial, so the frontier by params is 0, 1, 3, 5, 7, 9, 11.
   */
  private static final double[] QUALITY = {-3.0, -2.8, -2.9, -2.5, -2.6, -2.2, -2.3, -2.0, -2.1, -1.9, -1.95, -1.5};
  private static final List<Integer> FRONTIER = List.of(0, 1, 3, 5, 7, 9, 11);

  private final TestApiServer server = TestApiServer.shared();
  private KubernetesClient client;
  private String namespace;
  private OperatorUnderTest operator;
  private SweepDriver cluster;

  @BeforeEach
  void start() {
    client = server.newClient();
    namespace = server.newNamespace(client, "sweep");
    operator = new OperatorUnderTest(client, namespace).start();
    cluster = new SweepDriver(client, namespace);
  }

  @AfterEach
  void stop() {
    cluster.close();
    operator.close();
    client.close();
  }

  @Test
  void twelveTrialsRunAtMostThreeAtATimeAndEndWithTheParetoSetOfThePlantedResults() {
    ScalingSweep sweep = create(Fixtures.twelveTrials("dn"));
    List<Trial> trials = SweepStates.trials(sweep);
    Map<String, TrialResult> planted = planted(trials);

    for (int i = 0; i < 12; i++) {
      cluster.succeedNext(tj -> planted.get(tj.getMetadata().getName()));
    }

    ScalingSweep done = cluster.awaitSweep("dn", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));
    assertThat(cluster.maxUnfinished()).as("most trials unfinished at once").isEqualTo(3);
    assertThat(done.getStatus().getTrials().getSucceeded()).isEqualTo(12);
    assertThat(done.getStatus().getTrials().getTotal()).isEqualTo(12);
    assertThat(Conditions.find(done.getStatus().getConditions(), SweepConditions.READY).getReason())
        .isEqualTo(SweepConditions.REASON_SUCCEEDED);
    List<String> expectedFrontier = FRONTIER.stream().map(i -> trials.get(i).code()).toList();
    for (String cost : List.of("params", "flops", "throughput")) {
      assertThat(pareto(done, "upstream", cost)).as("upstream Pareto set against %s", cost).containsExactlyElementsOf(expectedFrontier);
    }
    assertThat(done.getStatus().getBest().getCode()).isEqualTo(trials.get(11).code());
    assertThat(done.getStatus().getResults()).hasSize(12);
    assertThat(done.getStatus().getFits()).anySatisfy(f -> assertThat(f.getQuality()).isEqualTo("upstream"));
    assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());
    assertThat(cluster.trainingJobs()).allSatisfy(tj ->
        assertThat(tj.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("dn")));
    await().atMost(SweepDriver.TIMEOUT).untilAsserted(() -> assertThat(cluster.trainingJobs())
        .as("every finished trial is handed over").allSatisfy(tj -> assertThat(tj.getMetadata().getLabels()).containsEntry(Labels.FINISHED, Labels.FINISHED_VALUE)));
  }

  @Test
  void restartingTheOperatorMidSweepCreatesNoDuplicateAndLosesNoResult() {
    ScalingSweep sweep = create(Fixtures.twelveTrials("restart"));
    Map<String, TrialResult> planted = planted(SweepStates.trials(sweep));
    for (int i = 0; i < 4; i++) {
      cluster.succeedNext(tj -> planted.get(tj.getMetadata().getName()));
    }
    Map<String, String> uidsBefore = uids();
    // The finished ones are handed over before the restart: the restarted trial controller never
    // sees them, and the sweep must still count them and not create them again.
    await().atMost(SweepDriver.TIMEOUT).until(() -> client.resources(TrainingJob.class).inNamespace(namespace)
        .withLabel(Labels.FINISHED, Labels.FINISHED_VALUE).list().getItems().size() == 4);

    operator.close();
    // While the operator is down, two running trials finish: their results wait in pod status.
    for (int i = 0; i < 2; i++) {
      Map.Entry<String, Pod> running = cluster.nextRunningTrial();
      cluster.jobs().succeed(running.getValue(), planted.get(running.getKey()));
    }
    operator = new OperatorUnderTest(client, namespace).start();

    while (succeededTrials() < 12) {
      cluster.succeedNext(tj -> planted.get(tj.getMetadata().getName()));
    }
    ScalingSweep done = cluster.awaitSweep("restart", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.READY));

    assertThat(cluster.creations()).as("TrainingJobs ever created").isEqualTo(12);
    assertThat(cluster.maxUnfinished()).isLessThanOrEqualTo(3);
    assertThat(uids()).as("TrainingJobs that existed before the restart were kept, not recreated").containsAllEntriesOf(uidsBefore);
    assertThat(client.batch().v1().jobs().inNamespace(namespace).list().getItems()).hasSize(12);
    assertThat(done.getStatus().getResults()).hasSize(12).allSatisfy(r -> assertThat(r.getNegLogPerplexity()).isNotNull());
    assertThat(done.getStatus().getTrials().getSucceeded()).isEqualTo(12);
  }

  @Test
  void moreFailedTrialsThanMaxFailedTrialsStopTheSweepWithAClearCondition() {
    ScalingSweep spec = Fixtures.twelveTrials("budget");
    spec.getSpec().getFailurePolicy().setMaxRetries(0);
    spec.getSpec().getFailurePolicy().setMaxFailedTrials(1);
    create(spec);

    cluster.failNext(1);
    cluster.failNext(1);

    ScalingSweep failed = cluster.awaitSweep("budget", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.FAILED));
    var condition = Conditions.find(failed.getStatus().getConditions(), SweepConditions.FAILED);
    assertThat(condition.getReason()).isEqualTo(SweepConditions.REASON_TOO_MANY_FAILED_TRIALS);
    assertThat(condition.getMessage()).contains("2 trials failed").contains("maxFailedTrials (1)");
    // three launched at first, one more after the first failure (still within budget), then none
    int launched = cluster.trainingJobs().size();
    assertThat(launched).isEqualTo(4);

    while (cluster.trainingJobs().stream().anyMatch(tj -> !TrainingJobStatus.finished(tj.getStatus()))) {
      cluster.succeedNext(tj -> PodStates.result(1_000_000L, -2.0, null, 1000.0));
    }
    ScalingSweep stopped = cluster.awaitSweep("budget", s ->
        "False".equals(Conditions.find(s.getStatus().getConditions(), SweepConditions.PROGRESSING).getStatus()));
    assertThat(cluster.trainingJobs()).hasSize(launched);
    assertThat(Conditions.isTrue(stopped.getStatus().getConditions(), SweepConditions.READY)).isFalse();
    assertThat(stopped.getStatus().getTrials().getFailed()).isEqualTo(2);
    assertThat(stopped.getStatus().getTrials().getPending()).isEqualTo(8);
  }

  @Test
  void aSuspendedSweepLaunchesNothingUntilResumed() {
    ScalingSweep spec = Fixtures.twelveTrials("paused");
    spec.getSpec().setSuspend(true);
    create(spec);

    ScalingSweep suspended = cluster.awaitSweep("paused", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.SUSPENDED));
    assertThat(suspended.getStatus().getTrials().getPending()).isEqualTo(12);
    assertThat(cluster.trainingJobs()).isEmpty();

    client.resources(ScalingSweep.class).inNamespace(namespace).withName("paused").edit(s -> {
      s.getSpec().setSuspend(false);
      return s;
    });

    await().atMost(SweepDriver.TIMEOUT).untilAsserted(() -> assertThat(cluster.trainingJobs()).hasSize(3));
    cluster.awaitSweep("paused", s -> !Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.SUSPENDED));
  }

  private ScalingSweep create(ScalingSweep sweep) {
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    return client.resource(sweep).create();
  }

  private static Map<String, TrialResult> planted(List<Trial> trials) {
    Map<String, TrialResult> results = new HashMap<>();
    IntStream.range(0, trials.size()).forEach(i -> results.put(trials.get(i).name(),
        PodStates.result(1_000_000L * (i + 1), QUALITY[i], null, 10_000.0 - 500 * i)));
    return results;
  }

  private static List<String> pareto(ScalingSweep sweep, String quality, String cost) {
    return sweep.getStatus().getPareto().stream()
        .filter(p -> p.getQuality().equals(quality) && p.getCost().equals(cost))
        .findFirst().map(ParetoSet::getCodes).orElseThrow();
  }

  private long succeededTrials() {
    return cluster.trainingJobs().stream()
        .filter(tj -> tj.getStatus() != null && tj.getStatus().getPhase() == io.scalesweep.api.v1alpha1.TrialPhase.Succeeded)
        .count();
  }

  private Map<String, String> uids() {
    return cluster.trainingJobs().stream()
        .collect(Collectors.toMap(tj -> tj.getMetadata().getName(), tj -> tj.getMetadata().getUid()));
  }
}
