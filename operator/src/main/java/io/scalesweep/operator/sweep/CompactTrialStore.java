package io.scalesweep.operator.sweep;

import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.ManagedFieldsFreeStore;

/**
 * The sweeps' TrainingJob cache: finished trials are kept as {@link CompactTrial}s, so what a
 * sweep of thousands of trials holds grows by a result row per finished trial, not by a whole
 * TrainingJob. Safe because this cache is only read: its dependent creates TrainingJobs and never
 * compares or updates one, and the trial controller has its own cache of the unfinished ones.
 */
public class CompactTrialStore extends ManagedFieldsFreeStore<TrainingJob> {

  @Override
  protected TrainingJob kept(TrainingJob item) {
    return CompactTrial.applies(item) ? CompactTrial.of(item) : super.kept(item);
  }
}
