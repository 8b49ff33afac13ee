package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.common.Labels;
import io.scalesweep.operator.testing.Fixtures;
import java.util.HashMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrialRetirementTest {

  private final TrainingJob trial = Fixtures.trainingJob("t");

  @Test
  void aFinishedTrialWhosePassChangesNothingAndWhoseConfigMapIsGoneIsRetired() {
    TrainingJobStatus stored = status(TrialPhase.Succeeded);

    assertThat(TrialRetirement.due(trial, stored, copy(stored), Optional.empty())).isTrue();
    assertThat(TrialRetirement.due(trial, status(TrialPhase.Failed), status(TrialPhase.Failed), Optional.empty())).isTrue();
  }

  @Test
  void aTrialStaysWhileThereIsStillSomethingToDo() {
    TrainingJobStatus stored = status(TrialPhase.Succeeded);
    TrainingJobStatus changed = copy(stored);
    changed.setResultUri("s3://bucket/result.json");

    assertThat(TrialRetirement.due(trial, status(TrialPhase.Running), status(TrialPhase.Succeeded), Optional.empty()))
        .as("its final status is not stored yet").isFalse();
    assertThat(TrialRetirement.due(trial, stored, changed, Optional.empty())).as("this pass writes more").isFalse();
    assertThat(TrialRetirement.due(trial, stored, copy(stored), Optional.of(configMap(false)))).as("its ConfigMap is still there").isFalse();
    assertThat(TrialRetirement.due(trial, stored, copy(stored), Optional.of(configMap(true)))).as("its ConfigMap is going").isTrue();
  }

  @Test
  void aRetiredOrDeletedTrialIsNotRetiredAgain() {
    TrainingJobStatus stored = status(TrialPhase.Succeeded);
    TrainingJob retired = Json.copy(trial, TrainingJob.class);
    var labels = new HashMap<String, String>();
    labels.put(Labels.FINISHED, Labels.FINISHED_VALUE);
    retired.getMetadata().setLabels(labels);
    TrainingJob deleted = Json.copy(trial, TrainingJob.class);
    deleted.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");

    assertThat(TrialRetirement.due(retired, stored, copy(stored), Optional.empty())).isFalse();
    assertThat(TrialRetirement.due(deleted, stored, copy(stored), Optional.empty())).isFalse();
  }

  @Test
  void theControllerComesBackOnlyWhileRetiringIsStillAhead() {
    TrainingJobStatus running = status(TrialPhase.Running);
    TrainingJobStatus done = status(TrialPhase.Succeeded);

    assertThat(TrialRetirement.comeBack(running, done, Optional.empty())).as("just finished").isTrue();
    assertThat(TrialRetirement.comeBack(done, done, Optional.of(configMap(false)))).as("its ConfigMap is going").isTrue();
    assertThat(TrialRetirement.comeBack(done, done, Optional.empty()))
        .as("already finished: a status that keeps changing must not make a loop").isFalse();
    assertThat(TrialRetirement.comeBack(status(TrialPhase.Pending), running, Optional.empty())).isFalse();
  }

  private static TrainingJobStatus status(TrialPhase phase) {
    TrainingJobStatus s = new TrainingJobStatus();
    s.setPhase(phase);
    s.setJobName("t");
    return s;
  }

  private static TrainingJobStatus copy(TrainingJobStatus s) {
    return Json.copy(s, TrainingJobStatus.class);
  }

  private static ConfigMap configMap(boolean deleting) {
    return new ConfigMapBuilder().withNewMetadata().withName("t-trial")
        .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null).endMetadata().build();
  }
}
