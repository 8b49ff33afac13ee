package io.scalesweep.operator.trainingjob;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.config.AdmissionPolicy;
import java.util.Optional;

/**
 * What a TrainingJob needs to run in a cluster beyond what its schema enforces (the CLI runs the
 * same spec without a cluster, so the schema cannot require these).
 */
final class TrialValidation {

  private TrialValidation() {}

  static Optional<InvalidSpecException> problem(TrainingJob trial, AdmissionPolicy policy) {
    var storage = trial.getSpec().getStorage();
    if (storage == null || storage.getUri() == null || storage.getUri().isBlank()) {
      return Optional.of(
          new InvalidSpecException(
              "spec.storage.uri",
              "spec.storage.uri is required in a cluster: the pod writes its checkpoints and "
                  + "results there"));
    }
    return policy.problem(storage, trial.getSpec().getImage(), trial.getSpec().getResources());
  }
}
