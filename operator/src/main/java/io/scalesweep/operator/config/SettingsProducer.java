package io.scalesweep.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Turns the configuration into the plain values the dependents are built with. */
@ApplicationScoped
public class SettingsProducer {

  // A record cannot be proxied, hence @Singleton rather than a normal scope.
  @Produces
  @Singleton
  TrainerSettings trainerSettings(ScalesweepConfig config) {
    return new TrainerSettings(config.trainer().image(), config.trainer().imagePullPolicy());
  }
}
