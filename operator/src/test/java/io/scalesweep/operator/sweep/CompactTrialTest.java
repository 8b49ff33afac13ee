package io.scalesweep.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.BestScore;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import io.scalesweep.api.v1alpha1.TrialGpuTime;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.storage.CatalogEntries;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.testing.SweepStates;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompactTrialTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final ScalingSweep sweep = withFinetuning(Fixtures.twelveTrials("dn"));
  private final List<Trial> trials = SweepStates.trials(sweep);

  @Test
  void aSweepReadsTheSameStatusAndCatalogFromCompactTrialsAsFromWholeOnes() {
    List<TrainingJob> whole = List.of(
        succeeded(0, 10_000_000L, -3.0, 61.0),
        succeeded(1, 20_000_000L, -2.0, 64.5),
        succeeded(2, 30_000_000L, -2.5, 70.25),
        failed(3, "BackoffLimitExceeded"),
        failed(4, TrainingJobConditions.REASON_START_DEADLINE_EXCEEDED),
        running(5),
        stuck(6));
    List<TrainingJob> compact = whole.stream().map(t -> CompactTrial.applies(t) ? CompactTrial.of(Json.copy(t, TrainingJob.class)) : t).toList();

    assertThat(Json.write(SweepStatusAggregator.aggregate(sweep, SweepPlan.of(sweep, compact), compact, NOW)))
        .isEqualTo(Json.write(SweepStatusAggregator.aggregate(sweep, SweepPlan.of(sweep, whole), whole, NOW)));
    List<String> order = trials.stream().map(Trial::name).toList();
    assertThat(Json.write(CatalogEntries.of("s3://bucket/sweeps", "dn", order, compact)))
        .isEqualTo(Json.write(CatalogEntries.of("s3://bucket/sweeps", "dn", order, whole)));
  }

  @Test
  void aFinishedTrialKeepsItsOutcomeAndDropsItsRecipeProgressAndProse() {
    TrainingJob whole = succeeded(0, 10_000_000L, -3.0, 61.0);

    TrainingJob compact = CompactTrial.of(Json.copy(whole, TrainingJob.class));

    assertThat(Json.write(compact.getStatus().getResult())).isEqualTo(Json.write(whole.getStatus().getResult()));
    assertThat(compact.getMetadata().getOwnerReferences()).isEqualTo(whole.getMetadata().getOwnerReferences());
    assertThat(compact.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(compact.getSpec().getShape()).isNotNull();
    assertThat(compact.getSpec().getFinetune()).isNull();
    assertThat(compact.getSpec().getStorage()).isNull();
    assertThat(compact.getStatus().getProgress()).isNull();
    assertThat(compact.getStatus().getConditions()).extracting(Condition::getMessage).containsOnlyNulls();
    assertThat(compact.getMetadata().getManagedFields()).isNullOrEmpty();
    // The fixture's recipe is small; a real trial's storage, resources and tasks make the gap wider.
    assertThat(Json.sizeInBytes(compact)).isLessThan(Json.sizeInBytes(whole) * 3 / 4);
  }

  @Test
  void theStoreCompactsFinishedTrialsOnlyAndDropsManagedFieldsFromAll() {
    CompactTrialStore store = new CompactTrialStore();
    TrainingJob running = running(5);
    TrainingJob done = succeeded(0, 10_000_000L, -3.0, 61.0);

    store.put(store.getKey(running), running);
    store.put(store.getKey(done), done);

    TrainingJob keptRunning = store.get(store.getKey(running));
    assertThat(keptRunning.getStatus().getProgress()).as("a running trial's ETA feeds the sweep's").isNotNull();
    assertThat(keptRunning.getSpec().getFinetune()).isNotNull();
    assertThat(keptRunning.getMetadata().getManagedFields()).isNull();
    TrainingJob keptDone = store.get(store.getKey(done));
    assertThat(keptDone.getSpec().getFinetune()).isNull();
    assertThat(keptDone.getStatus().getResult().getParams()).isEqualTo(10_000_000L);
  }

  private static ScalingSweep withFinetuning(ScalingSweep sweep) {
    sweep.getSpec().setFinetune(new FinetuneSpec());
    return sweep;
  }

  /** A trial as the operator leaves it, with everything a whole TrainingJob carries. */
  private TrainingJob trial(int i, TrialPhase phase) {
    TrainingJob tj = SweepStates.trainingJob(sweep, trials.get(i), phase, null);
    tj.getMetadata().setResourceVersion("42");
    tj.getMetadata().setUid("uid-" + i);
    tj.getMetadata().setCreationTimestamp("2026-01-01T10:00:00Z");
    tj.getMetadata().setLabels(Map.of("scalesweep.io/sweep", "dn"));
    tj.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion("scalesweep.io/v1alpha1").withKind("ScalingSweep").withName("dn").withUid("sweep-uid").build()));
    tj.getMetadata().setManagedFields(List.of(new ManagedFieldsEntryBuilder()
        .withManager("scalesweep-operator").withOperation("Apply").withApiVersion("scalesweep.io/v1alpha1").build()));
    var status = tj.getStatus();
    status.setObservedGeneration(1L);
    status.setJobName(trials.get(i).name());
    status.setRetries(0);
    status.setStartTime("2026-01-01T10:01:00Z");
    TrainingProgress progress = new TrainingProgress();
    progress.setStage("finetune");
    progress.setStep(900L);
    progress.setTotalSteps(1000L);
    progress.setLoss(1.25);
    progress.setEtaSeconds(60L);
    progress.setUpdated("2026-01-01T11:59:00Z");
    status.setProgress(progress);
    TrialGpuTime gpu = new TrialGpuTime();
    gpu.setSeconds(3_600L);
    status.setGpuTime(gpu);
    status.setDisruptedPods(List.of(trials.get(i).name() + "-abcde"));
    return tj;
  }

  private TrainingJob succeeded(int i, long params, double upstream, double downstream) {
    TrainingJob tj = trial(i, TrialPhase.Succeeded);
    TrialResult result = PodStates.result(params, upstream, downstream, 1000.0 + i);
    result.setWallSeconds(3_000.0 + i);
    result.setDownstream(Map.of("glue-sst2", downstream, "superglue-boolq", downstream - 1));
    BestScore best = new BestScore();
    best.setStep(750L);
    best.setScore(downstream + 1);
    result.setDownstreamBest(Map.of("glue-sst2", best));
    result.setDownstreamByDifficulty(Map.of("glue-sst2", Map.of("1", downstream, "2", downstream - 2)));
    tj.getStatus().setResult(result);
    tj.getStatus().setCompletionTime("2026-01-01T11:00:00Z");
    tj.getStatus().setResultUri("s3://bucket/sweeps/research/dn/trials/" + trials.get(i).name() + "/result.json");
    tj.getStatus().setConditions(List.of(
        condition(TrainingJobConditions.READY, "True", "Succeeded", "trained 1000 steps; result read from the pod's termination message"),
        condition(TrainingJobConditions.FAILED, "False", "Succeeded", "")));
    return tj;
  }

  private TrainingJob failed(int i, String reason) {
    TrainingJob tj = trial(i, TrialPhase.Failed);
    tj.getStatus().setCompletionTime("2026-01-01T11:00:00Z");
    tj.getStatus().setConditions(List.of(
        condition(TrainingJobConditions.READY, "False", reason, "the trial failed: " + reason),
        condition(TrainingJobConditions.FAILED, "True", reason, "pod " + trials.get(i).name() + "-x exited 1: out of memory")));
    return tj;
  }

  private TrainingJob running(int i) {
    TrainingJob tj = trial(i, TrialPhase.Running);
    tj.getStatus().setConditions(new ArrayList<>(List.of(condition(TrainingJobConditions.READY, "False", "Running", "step 900 of 1000"))));
    return tj;
  }

  private TrainingJob stuck(int i) {
    TrainingJob tj = trial(i, TrialPhase.Pending);
    tj.getStatus().setProgress(null);
    tj.getStatus().setConditions(List.of(condition(TrainingJobConditions.READY, "False", "ImagePullBackOff", "pod x: ImagePullBackOff")));
    return tj;
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime("2026-01-01T11:00:00Z").withObservedGeneration(1L).build();
  }
}
