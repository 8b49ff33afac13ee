package io.scalesweep.operator.sweep;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.operator.config.DeletionSettings;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.storage.SweepObjects;

/**
 * Holds a finalizer on exactly the sweeps whose objects go with them
 * ({@code spec.storage.deleteOnSweepDeletion}), and on deletion stops their trials, waits for
 * their pods and deletes their objects ({@link SweepCleanup}).
 *
 * <p>Why a second controller: JOSDK puts its finalizer on every resource of a controller that is a
 * Cleaner, and a finalizer on every sweep means that with the operator gone (uninstalled, crash
 * looping) no sweep and no namespace holding one can be deleted. The running of sweeps
 * ({@link ScalingSweepReconciler}) needs no finalizer: their TrainingJobs go by garbage
 * collection. This controller only ever sees the sweeps {@link AsksForCleanup} lets through, so
 * only those get its finalizer. (JOSDK's all-events mode, which leaves finalizers to the
 * reconciler, is not carried into quarkus-operator-sdk 7.7's runtime controller configuration.)
 */
@ControllerConfiguration(
    name = SweepDeletionReconciler.NAME,
    finalizerName = SweepDeletionReconciler.FINALIZER,
    informer = @Informer(genericFilter = SweepDeletionReconciler.AsksForCleanup.class))
public class SweepDeletionReconciler implements Reconciler<ScalingSweep>, Cleaner<ScalingSweep> {

  public static final String NAME = "scalingsweep-deletion";
  /**
   * JOSDK's default finalizer name for ScalingSweep, which versions before this one put on every
   * sweep: keeping it lets this controller release those sweeps when they are deleted.
   */
  public static final String FINALIZER = "scalingsweeps.scalesweep.io/finalizer";

  private final SweepMetrics metrics;
  private final SweepCleanup cleanup;

  public SweepDeletionReconciler(SweepMetrics metrics, TrainerSettings settings, DeletionSettings deletion) {
    this.metrics = metrics;
    this.cleanup = new SweepCleanup(deletion.timeout(), settings.policy());
  }

  /** Nothing to do while the sweep lives: JOSDK adds the finalizer before calling this. */
  @Override
  public UpdateControl<ScalingSweep> reconcile(ScalingSweep sweep, Context<ScalingSweep> context) {
    return UpdateControl.noUpdate();
  }

  /**
   * A sweep that no longer asks for its objects to go (the field was turned off after the
   * finalizer was added, or the sweep predates this version) is let go at once.
   */
  @Override
  public DeleteControl cleanup(ScalingSweep sweep, Context<ScalingSweep> context) {
    if (SweepObjects.deletedWithSweep(sweep)) {
      DeleteControl step = cleanup.step(sweep, context);
      if (!step.isRemoveFinalizer()) {
        return step;
      }
    }
    metrics.sweepDeleted(sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /** Lets through the sweeps that ask for cleanup, and those still holding the finalizer. */
  public static final class AsksForCleanup implements GenericFilter<ScalingSweep> {
    @Override
    public boolean accept(ScalingSweep sweep) {
      return SweepObjects.deletedWithSweep(sweep) || holdsFinalizer(sweep);
    }
  }

  static boolean holdsFinalizer(HasMetadata resource) {
    return resource.getMetadata().getFinalizers() != null && resource.getMetadata().getFinalizers().contains(FINALIZER);
  }
}
