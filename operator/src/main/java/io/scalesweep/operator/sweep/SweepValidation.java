package io.scalesweep.operator.sweep;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.resources.ShapeRules;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.operator.config.AdmissionPolicy;
import java.util.Optional;

/**
 * What a sweep needs in a cluster beyond its schema: {@code scalesweep run} trains the same spec
 * on a laptop with local storage, so the schema cannot require these.
 */
final class SweepValidation {

  private SweepValidation() {}

  static Optional<InvalidSpecException> problem(ScalingSweepSpec spec, AdmissionPolicy policy) {
    if (spec.getStorage() == null || spec.getStorage().getUri() == null || spec.getStorage().getUri().isBlank()) {
      return Optional.of(new InvalidSpecException(
          "spec.storage.uri",
          "spec.storage.uri is required in a cluster: trials write checkpoints and results there"));
    }
    return ShapeRules.problem(spec.getResources())
        .or(() -> policy.problem(spec.getStorage(), spec.getImage(), spec.getResources()));
  }
}
