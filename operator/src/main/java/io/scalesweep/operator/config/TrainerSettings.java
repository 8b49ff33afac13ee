package io.scalesweep.operator.config;

/**
 * What the operator's configuration adds to trials and allows in them: everything else comes
 * from the sweep or TrainingJob itself.
 *
 * @param image trainer image used when the TrainingJob names none
 * @param imagePullPolicy pull policy of the trainer container
 * @param policy what sweeps and TrainingJobs may ask for
 */
public record TrainerSettings(String image, String imagePullPolicy, AdmissionPolicy policy) {

  public TrainerSettings {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("scalesweep.trainer.image must name an image");
    }
    if (policy == null) {
      throw new IllegalArgumentException("an admission policy is required (AdmissionPolicy.defaults())");
    }
  }

  /** With the default policy ({@link AdmissionPolicy#defaults()}). */
  public TrainerSettings(String image, String imagePullPolicy) {
    this(image, imagePullPolicy, AdmissionPolicy.defaults());
  }
}
