package io.scalesweep.operator.config;

/**
 * What the operator's configuration adds to a trial's pod: everything else comes from the
 * TrainingJob itself.
 *
 * @param image trainer image used when the TrainingJob names none
 * @param imagePullPolicy pull policy of the trainer container
 */
public record TrainerSettings(String image, String imagePullPolicy) {

  public TrainerSettings {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("scalesweep.trainer.image must name an image");
    }
  }
}
