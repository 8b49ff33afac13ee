package io.scalesweep.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** The operator's own settings ({@code scalesweep.*} in application.properties or env). */
@ConfigMapping(prefix = "scalesweep")
public interface ScalesweepConfig {

  Trainer trainer();

  /** What sweeps and TrainingJobs may ask for ({@link AdmissionPolicy}). */
  Policy policy();

  /** Chart values under {@code policy}; empty lists allow anything. */
  interface Policy {

    /** Storage without {@code secretRef} uses the identity of the operator's and trainer's pods. */
    @WithDefault("false")
    boolean allowOperatorIdentity();

    Optional<List<String>> allowedEndpoints();

    Optional<List<String>> allowedImagePrefixes();

    Optional<List<String>> allowedPriorityClasses();

    Optional<List<String>> allowedTolerationKeys();
  }

  /** The trainer image the pods run. */
  interface Trainer {

    /**
     * Image used when a sweep or TrainingJob gives no {@code spec.image}: by default the trainer
     * image built from this very version ({@code ./mvnw package -Pimages}).
     */
    @WithDefault("ghcr.io/scalesweep/trainer:${quarkus.application.version}")
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();
  }
}
