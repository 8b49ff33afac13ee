package io.scalesweep.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.sweep.SweepPlan;
import io.scalesweep.operator.sweep.SweepStatusAggregator;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import io.scalesweep.operator.testing.SweepStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The chart's Argo CD health checks (Lua, run by LuaJ as Argo CD runs them with gopher-lua) on
 * resources whose status the operator's own aggregation computed, so a change of the status model
 * that the scripts do not follow fails here, not in a user's Argo CD.
 */
class ArgoCdHealthTest {

  private static final Path SCRIPTS = Path.of("..", "charts", "scalesweep", "argocd");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void aSweepWhoseTrialsAllSucceededIsHealthy() throws IOException {
    ScalingSweep sweep = sweep();
    List<TrainingJob> trials = new ArrayList<>();
    for (Trial t : SweepStates.trials(sweep)) {
      trials.add(SweepStates.trainingJob(sweep, t, TrialPhase.Succeeded, PodStates.result(10L, -2.0, null, 1000.0)));
    }

    Health health = sweepHealth(withStatus(sweep, trials));

    assertThat(health.status()).isEqualTo("Healthy");
    assertThat(health.message()).contains("12 of 12 trials succeeded");
  }

  @Test
  void aSweepWithTrialsRunningIsProgressing() throws IOException {
    ScalingSweep sweep = sweep();
    List<Trial> all = SweepStates.trials(sweep);
    List<TrainingJob> trials = List.of(
        SweepStates.trainingJob(sweep, all.get(0), TrialPhase.Succeeded, PodStates.result(10L, -2.0, null, 1000.0)),
        SweepStates.trainingJob(sweep, all.get(1), TrialPhase.Running, null));

    Health health = sweepHealth(withStatus(sweep, trials));

    assertThat(health.status()).isEqualTo("Progressing");
    assertThat(health.message()).contains("1 of 12 trials succeeded, 1 running");
  }

  @Test
  void aSweepPastItsFailureBudgetOrWithAnInvalidSpecIsDegraded() throws IOException {
    ScalingSweep failing = sweep();
    failing.getSpec().getFailurePolicy().setMaxFailedTrials(0);
    List<Trial> all = SweepStates.trials(failing);
    List<TrainingJob> trials = List.of(SweepStates.trainingJob(failing, all.get(0), TrialPhase.Failed, null));
    ScalingSweep invalid = sweep();
    invalid.getSpec().setStorage(null);

    Health tooManyFailures = sweepHealth(withStatus(failing, trials));
    Health invalidSpec = sweepHealth(withStatus(invalid, List.of()));

    assertThat(tooManyFailures.status()).isEqualTo("Degraded");
    assertThat(tooManyFailures.message()).contains("more than spec.failurePolicy.maxFailedTrials (0)");
    assertThat(invalidSpec.status()).isEqualTo("Degraded");
    assertThat(invalidSpec.message()).contains("spec.storage.uri");
  }

  @Test
  void aSuspendedSweepWithNothingRunningIsSuspended() throws IOException {
    ScalingSweep sweep = sweep();
    sweep.getSpec().setSuspend(true);

    Health health = sweepHealth(withStatus(sweep, List.of()));

    assertThat(health.status()).isEqualTo("Suspended");
    assertThat(health.message()).contains("spec.suspend is true");
  }

  @Test
  void aSweepTheOperatorHasNotSeenSinceItChangedIsProgressing() throws IOException {
    ScalingSweep sweep = sweep();
    ScalingSweep observed = withStatus(sweep, List.of());
    observed.getMetadata().setGeneration(2L);

    assertThat(sweepHealth(observed).status()).isEqualTo("Progressing");
    observed.setStatus(null);
    assertThat(sweepHealth(observed).status()).isEqualTo("Progressing");
  }

  @Test
  void aTrainingJobIsHealthyWhenItSucceededDegradedWhenItFailedAndProgressingOtherwise()
      throws IOException {
    ScalingSweep sweep = sweep();
    Trial trial = SweepStates.trials(sweep).get(0);

    assertThat(trialHealth(SweepStates.trainingJob(sweep, trial, TrialPhase.Succeeded, null)).status())
        .isEqualTo("Healthy");
    assertThat(trialHealth(SweepStates.trainingJob(sweep, trial, TrialPhase.Failed, null)).status())
        .isEqualTo("Degraded");
    assertThat(trialHealth(SweepStates.trainingJob(sweep, trial, TrialPhase.Running, null)).status())
        .isEqualTo("Progressing");
    assertThat(trialHealth(SweepStates.trainingJob(sweep, trial, null, null)).status())
        .isEqualTo("Progressing");
  }

  private record Health(String status, String message) {}

  /** The sweep with the status the operator computes from these TrainingJobs. */
  private static ScalingSweep withStatus(ScalingSweep sweep, List<TrainingJob> trials) {
    sweep.setStatus(SweepStatusAggregator.aggregate(sweep, SweepPlan.of(sweep, trials), trials, NOW));
    return sweep;
  }

  private static ScalingSweep sweep() {
    return Fixtures.claimed(Fixtures.twelveTrials("dn"));
  }

  private static Health sweepHealth(ScalingSweep sweep) throws IOException {
    return run("health-scalingsweep.lua", sweep);
  }

  private static Health trialHealth(TrainingJob trial) throws IOException {
    return run("health-trainingjob.lua", trial);
  }

  /** As Argo CD does: the resource as the global {@code obj}, the script's result as health. */
  private static Health run(String script, HasMetadata resource) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", lua(JSON.valueToTree(resource)));
    LuaValue hs = globals.load(Files.readString(SCRIPTS.resolve(script)), script).call();
    return new Health(hs.get("status").tojstring(), hs.get("message").optjstring(""));
  }

  private static LuaValue lua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          table.set(field.getKey(), lua(field.getValue()));
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
