package io.scalesweep.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Turns the configuration into the plain values the dependents are built with. */
@ApplicationScoped
public class SettingsProducer {

  // A record cannot be proxied, hence @Singleton rather than a normal scope.
  @Produces
  @Singleton
  TrainerSettings trainerSettings(ScalesweepConfig config) {
    ScalesweepConfig.Policy p = config.policy();
    AdmissionPolicy policy = new AdmissionPolicy(
        p.allowOperatorIdentity(),
        p.allowedEndpoints().orElse(List.of()),
        p.allowedImagePrefixes().orElse(List.of()),
        p.allowedPriorityClasses().orElse(List.of()),
        p.allowedTolerationKeys().orElse(List.of()));
    return new TrainerSettings(
        config.trainer().image(),
        config.trainer().imagePullPolicy(),
        policy,
        config.trainer().gpuImage().orElse(null));
  }

  @Produces
  @Singleton
  DeletionSettings deletionSettings(ScalesweepConfig config) {
    return new DeletionSettings(config.deletion().timeout());
  }
}
