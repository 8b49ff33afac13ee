package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.SuspendPolicy;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobStatus;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.trainingjob.TrialSuspension;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's {@code suspend} under {@code suspendPolicy: StopRunning}: its unfinished TrainingJobs
 * get {@code spec.suspend: true} (their Jobs are deleted; see {@link TrialSuspension}) and, once
 * the sweep resumes ({@code suspend} false, or the policy back to StopLaunching), lose it again and
 * resume from their checkpoints. A trial the sweep suspended carries the {@link #SUSPENDED_BY_SWEEP}
 * annotation, so that resuming the sweep resumes only those: a trial someone suspended by hand
 * stays suspended. Finished trials are left alone.
 */
public final class SweepSuspension {

  /** On a TrainingJob whose {@code spec.suspend} its sweep set. */
  public static final String SUSPENDED_BY_SWEEP = "scalesweep.io/suspended-by-sweep";

  /** One TrainingJob to patch: suspend it (true) or resume it (false). */
  public record Change(String name, boolean suspend) {}

  private SweepSuspension() {}

  /** Whether the sweep wants its running trials stopped. */
  public static boolean stopsRunning(ScalingSweep sweep) {
    return Boolean.TRUE.equals(sweep.getSpec().getSuspend())
        && sweep.getSpec().getSuspendPolicy() == SuspendPolicy.StopRunning;
  }

  /** The TrainingJobs to patch now, by name: a pure function of the sweep and its trials. */
  public static List<Change> changes(ScalingSweep sweep, Collection<TrainingJob> trainingJobs) {
    boolean stop = stopsRunning(sweep);
    Map<String, Change> changes = new LinkedHashMap<>();
    for (TrainingJob tj : trainingJobs.stream().sorted(Comparator.comparing(t -> t.getMetadata().getName())).toList()) {
      if (isFinished(tj) || tj.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      boolean suspended = TrialSuspension.isSuspended(tj);
      if (stop && !suspended) {
        changes.put(tj.getMetadata().getName(), new Change(tj.getMetadata().getName(), true));
      } else if (!stop && suspended && suspendedBySweep(tj)) {
        changes.put(tj.getMetadata().getName(), new Change(tj.getMetadata().getName(), false));
      }
    }
    return List.copyOf(changes.values());
  }

  /** Patches the sweep's trials as {@link #changes} says (a merge patch of spec.suspend and the annotation). */
  public static void apply(ScalingSweep sweep, Context<ScalingSweep> context) {
    List<Change> changes = changes(sweep, context.getSecondaryResources(TrainingJob.class));
    KubernetesClient client = context.getClient();
    for (Change change : changes) {
      // Patched through an object naming it: by name alone, the client would read it first (a get).
      TrainingJob named = new TrainingJob();
      named.setMetadata(new ObjectMetaBuilder().withName(change.name()).withNamespace(sweep.getMetadata().getNamespace()).build());
      client.resource(named).patch(PatchContext.of(PatchType.JSON_MERGE), patch(change));
    }
  }

  /**
   * Suspending sets {@code spec.suspend} and marks the trial; resuming removes both, so the trial's
   * spec is again the one the sweep created (its recipe hash still matches).
   */
  static String patch(Change change) {
    Map<String, Object> annotations = new LinkedHashMap<>();
    annotations.put(SUSPENDED_BY_SWEEP, change.suspend() ? "true" : null);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("suspend", change.suspend() ? Boolean.TRUE : null);
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("metadata", Map.of("annotations", annotations));
    patch.put("spec", spec);
    return Json.write(patch);
  }

  private static boolean suspendedBySweep(TrainingJob tj) {
    var annotations = tj.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(SUSPENDED_BY_SWEEP);
  }

  private static boolean isFinished(TrainingJob tj) {
    return TrainingJobStatus.finished(tj.getStatus());
  }
}
