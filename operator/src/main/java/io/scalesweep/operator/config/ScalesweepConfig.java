package io.scalesweep.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings ({@code scalesweep.*} in application.properties or env). */
@ConfigMapping(prefix = "scalesweep")
public interface ScalesweepConfig {

  Trainer trainer();

  /** The trainer image the pods run. */
  interface Trainer {

    /** Image used when a sweep or TrainingJob gives no {@code spec.image}. */
    @WithDefault("ghcr.io/scalesweep/trainer:0.1.0")
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();
  }
}
