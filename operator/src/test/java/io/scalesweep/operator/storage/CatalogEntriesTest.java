package io.scalesweep.operator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.testing.PodStates;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogEntriesTest {

  @Test
  void entriesFollowExpansionOrderWithResultsAndUrisOfSucceededTrialsOnly() {
    TrainingJob done = trial("sw-b", TrialPhase.Succeeded);
    done.getStatus().setResult(PodStates.result(123L, -2.0, null, 1000.0));
    TrainingJob running = trial("sw-a", TrialPhase.Running);
    TrainingJob stray = trial("sw-z", null);

    List<CatalogEntry> entries = CatalogEntries.of("s3://bucket/root", "sw", List.of("sw-b", "sw-a"), List.of(stray, running, done));

    assertThat(entries).extracting(CatalogEntry::name).containsExactly("sw-b", "sw-a", "sw-z");
    CatalogEntry b = entries.get(0);
    assertThat(b.phase()).isEqualTo(TrialPhase.Succeeded);
    assertThat(b.params()).as("params from the result").isEqualTo(123L);
    assertThat(b.result().getNegLogPerplexity()).isEqualTo(-2.0);
    assertThat(b.resultUri()).isEqualTo("s3://bucket/root/research/sw/sw-b/result.json");
    assertThat(b.code()).isEqualTo("NL16-SM");
    assertThat(b.shape()).isEqualTo(TrialSpecs.toShape(done.getSpec().getShape(), "spec.shape"));

    CatalogEntry a = entries.get(1);
    assertThat(a.result()).isNull();
    assertThat(a.resultUri()).isNull();
    assertThat(a.params()).as("params counted from the shape").isEqualTo(ParamCounter.count(a.shape()));
    assertThat(a.flops()).as("FLOPs from the recipe").isPositive();
    assertThat(entries.get(2).phase()).isEqualTo(TrialPhase.Pending);
  }

  @Test
  void theCatalogMarksTheFrontierOfTheEntries() {
    TrainingJob small = trial("sw-s", TrialPhase.Succeeded);
    small.getStatus().setResult(PodStates.result(100L, -3.0, null, 1000.0));
    TrainingJob big = trial("sw-l", TrialPhase.Succeeded);
    big.getStatus().setResult(PodStates.result(200L, -3.5, null, 500.0));
    big.getSpec().setCode("NL32-SM");

    SweepCatalog catalog = SweepCatalog.of("sw", null, CatalogEntries.of("s3://b/", "sw", List.of(), List.of(small, big)));

    assertThat(catalog.trials()).filteredOn(e -> e.name().equals("sw-s")).singleElement()
        .satisfies(e -> assertThat(e.pareto()).contains("upstream/params"));
    assertThat(catalog.trials()).filteredOn(e -> e.name().equals("sw-l")).singleElement()
        .satisfies(e -> assertThat(e.pareto()).isEmpty());
  }

  private static TrainingJob trial(String name, TrialPhase phase) {
    TrainingJob tj = Fixtures.trainingJob(name);
    if (phase != null) {
      TrainingJobStatus status = new TrainingJobStatus();
      status.setPhase(phase);
      tj.setStatus(status);
    }
    return tj;
  }
}
