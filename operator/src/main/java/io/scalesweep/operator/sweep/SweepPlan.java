package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.Condition;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.FailurePolicySpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.SpecDefaults;
import io.scalesweep.operator.config.AdmissionPolicy;
import io.scalesweep.operator.storage.SweepGathering;
import io.scalesweep.operator.trainingjob.TrainingJobConditions;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a sweep should do now, from its spec and the TrainingJobs that exist: which trials it
 * expands to, how many are unfinished and failed, and which to launch next. A pure function, so
 * parallelism, suspension and the failure budget are decided in one place and tested without a
 * cluster; the dependent that creates TrainingJobs and the status both read it.
 *
 * @param trials every trial of the sweep, in launch order (empty when the spec is invalid)
 * @param invalid why the spec cannot run, naming the field
 * @param unfinished existing trials that are pending or running
 * @param failed existing trials that failed for good, except those that never started in time
 * @param suspended {@code spec.suspend}
 * @param tooManyFailures more trials failed than {@code maxFailedTrials} allows
 * @param notCreated trials without a TrainingJob yet, launched or not
 * @param toLaunch trials to create now: the first missing ones, as many as free slots allow
 */
public record SweepPlan(
    List<Trial> trials,
    Optional<InvalidSpecException> invalid,
    int unfinished,
    int failed,
    boolean suspended,
    boolean tooManyFailures,
    int notCreated,
    List<Trial> toLaunch) {

  static final int DEFAULT_PARALLELISM =
      SpecDefaults.declaredDefault(ScalingSweepSpec.class, "parallelism", Integer.class);

  /** The plan under the default admission policy (tests; the operator passes its own). */
  public static SweepPlan of(ScalingSweep sweep, Collection<TrainingJob> existing) {
    return of(sweep, existing, AdmissionPolicy.defaults());
  }

  public static SweepPlan of(ScalingSweep sweep, Collection<TrainingJob> existing, AdmissionPolicy policy) {
    return of(sweep, existing, policy, s -> SweepExpander.expand(s.getMetadata().getName(), s.getSpec()));
  }

  /** How the sweep's trials are found, for the operator's cache ({@link SweepExpansions}). */
  interface Expansion {
    List<Trial> trials(ScalingSweep sweep) throws InvalidSpecException;
  }

  static SweepPlan of(ScalingSweep sweep, Collection<TrainingJob> existing, AdmissionPolicy policy, Expansion expansion) {
    ScalingSweepSpec spec = sweep.getSpec();
    List<Trial> trials = List.of();
    Optional<InvalidSpecException> invalid = SweepValidation.problem(spec, policy);
    if (invalid.isEmpty()) {
      try {
        trials = expansion.trials(sweep);
      } catch (InvalidSpecException e) {
        invalid = Optional.of(e);
      }
    }
    Set<String> names = new HashSet<>();
    int unfinished = 0;
    int failed = 0;
    for (TrainingJob tj : existing) {
      names.add(tj.getMetadata().getName());
      TrialPhase phase = tj.getStatus() == null ? null : tj.getStatus().getPhase();
      if (phase == TrialPhase.Failed) {
        // A trial the cluster never started (its start deadline) says nothing about the model.
        failed += TrainingJobConditions.isModelFailure(tj.getStatus()) ? 1 : 0;
      } else if (phase != TrialPhase.Succeeded) {
        unfinished++;
      }
    }
    FailurePolicySpec failurePolicy = SpecDefaults.withDefaults(spec.getFailurePolicy(), FailurePolicySpec.class, "spec.failurePolicy");
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    boolean tooManyFailures = failed > failurePolicy.getMaxFailedTrials();
    int parallelism = spec.getParallelism() == null ? DEFAULT_PARALLELISM : spec.getParallelism();
    boolean storageBlocked = storageBlocked(sweep);
    int slots = invalid.isPresent() || suspended || tooManyFailures || storageBlocked
        ? 0 : Math.max(0, parallelism - unfinished);
    List<Trial> missing = trials.stream().filter(t -> !names.contains(t.name())).toList();
    List<Trial> toLaunch = missing.subList(0, Math.min(slots, missing.size()));
    return new SweepPlan(trials, invalid, unfinished, failed, suspended, tooManyFailures, missing.size(), List.copyOf(toLaunch));
  }

  /**
   * Trials wait until the operator has looked at the sweep's folder in storage (the {@code
   * StorageOwned} condition exists), and stay unlaunched while that folder is another sweep's. A
   * store that cannot be reached does not hold them back: the trainer checks its trial folder's
   * owner itself before it writes anything.
   */
  static boolean storageBlocked(ScalingSweep sweep) {
    return storageBlocked(sweep, sweep.getStatus() == null ? null : sweep.getStatus().getConditions());
  }

  /** As {@link #storageBlocked(ScalingSweep)}, with these conditions instead of the stored ones. */
  static boolean storageBlocked(ScalingSweep sweep, List<Condition> conditions) {
    if (sweep.getSpec().getStorage() == null) {
      return false;
    }
    Condition owned = Conditions.find(conditions, SweepGathering.STORAGE_OWNED);
    return owned == null || SweepGathering.REASON_OWNED_BY_ANOTHER.equals(owned.getReason());
  }
}
