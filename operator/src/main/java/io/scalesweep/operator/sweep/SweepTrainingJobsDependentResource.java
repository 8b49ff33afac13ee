package io.scalesweep.operator.sweep;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.OwnedDependentResource;
import io.scalesweep.operator.config.TrainerSettings;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep's TrainingJobs, one per trial, created as {@link SweepPlan} frees slots for them, and
 * owned by the sweep, so deleting the sweep deletes its trials. Not garbage-collected by JOSDK:
 * that would delete every TrainingJob missing from the desired set, which here holds only the
 * trials to launch now.
 *
 * <p>Only created: a TrainingJob that exists is left as it is (its shape is immutable, and a
 * running trial must not change recipe), and none is deleted while the sweep exists. Names are
 * the trials' deterministic names, so after an operator restart the existing TrainingJobs are
 * found again instead of duplicated; and JOSDK keeps just-created TrainingJobs in its cache until
 * the informer sees them, so a fast second reconciliation does not launch past parallelism.
 */
@KubernetesDependent(informer = @Informer(itemStore = CompactTrialStore.class))
public class SweepTrainingJobsDependentResource extends OwnedDependentResource<TrainingJob, ScalingSweep>
    implements KubernetesBulkDependentResource<TrainingJob, ScalingSweep> {

  /** Shared by every sweep's dependent pass; the reconciler keeps its own. */
  private final SweepExpansions expansions = new SweepExpansions();

  /** Injected by CDI in the operator; given to the constructor in tests. */
  @Inject TrainerSettings settings;

  /** For CDI, and for QOSDK's build step that instantiates dependents to learn their type. */
  public SweepTrainingJobsDependentResource() {
    super(TrainingJob.class, ScalingSweep.class);
  }

  public SweepTrainingJobsDependentResource(TrainerSettings settings) {
    this();
    this.settings = settings;
  }

  @Override
  public Map<ResourceID, TrainingJob> desiredResources(ScalingSweep sweep, Context<ScalingSweep> context) {
    SweepPlan plan = SweepPlan.of(sweep, context.getSecondaryResources(TrainingJob.class), settings.policy(), expansions::trials);
    return desired(sweep, plan);
  }

  /** The TrainingJobs to create now: a pure function of the sweep and its plan. */
  static Map<ResourceID, TrainingJob> desired(ScalingSweep sweep, SweepPlan plan) {
    Map<ResourceID, TrainingJob> desired = new LinkedHashMap<>();
    for (Trial trial : plan.toLaunch()) {
      TrainingJob tj = SweepTrainingJobs.desired(sweep, trial);
      desired.put(ResourceID.fromResource(tj), tj);
    }
    return desired;
  }
}
