package io.scalesweep.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The operator's own settings ({@code scalesweep.*} in application.properties or env). */
@ConfigMapping(prefix = "scalesweep")
public interface ScalesweepConfig {

  Trainer trainer();

  /** Deleting a sweep whose objects go with it ({@link DeletionSettings}). */
  Deletion deletion();

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

  interface Deletion {

    /**
     * How long cleanup may take (stopping trials, deleting objects) before the operator gives up,
     * leaves the objects and lets the sweep go, so that a store that is down cannot wedge a
     * namespace.
     */
    @WithDefault("10m")
    Duration timeout();
  }

  /** The trainer image the pods run. */
  interface Trainer {

    /**
     * Image used when a sweep or TrainingJob gives no {@code spec.image}: by default the trainer
     * image built from this very version ({@code ./mvnw package -Pimages}).
     */
    @WithDefault("ghcr.io/scalesweep/trainer:${quarkus.application.version}")
    String image();

    /**
     * Image used instead of {@link #image()} for trials that ask for GPUs ({@code
     * spec.resources.gpus > 0}) and give no {@code spec.image}: the CUDA trainer image ({@code
     * ./mvnw package -Pcuda-image}, tagged {@code <version>-cu128}), whose libtorch can use them.
     * Absent: such trials run {@link #image()} too, which has no CUDA and exits 3 when it sees no
     * GPU. Chart value {@code trainerImage.gpuTag}.
     */
    Optional<String> gpuImage();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();
  }
}
