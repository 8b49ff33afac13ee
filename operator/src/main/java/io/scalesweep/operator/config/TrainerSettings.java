package io.scalesweep.operator.config;

/**
 * What the operator's configuration adds to trials and allows in them: everything else comes
 * from the sweep or TrainingJob itself.
 *
 * @param image trainer image used when the TrainingJob names none
 * @param imagePullPolicy pull policy of the trainer container
 * @param policy what sweeps and TrainingJobs may ask for
 * @param gpuImage the CUDA trainer image, used instead of {@code image} for trials with GPUs; null
 *     (or blank) when there is none, and then {@code image} serves every trial
 */
public record TrainerSettings(String image, String imagePullPolicy, AdmissionPolicy policy, String gpuImage) {

  public TrainerSettings {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("scalesweep.trainer.image must name an image");
    }
    if (policy == null) {
      throw new IllegalArgumentException("an admission policy is required (AdmissionPolicy.defaults())");
    }
    gpuImage = gpuImage == null || gpuImage.isBlank() ? null : gpuImage.trim();
  }

  /** Without a separate CUDA image: {@code image} serves trials with and without GPUs. */
  public TrainerSettings(String image, String imagePullPolicy, AdmissionPolicy policy) {
    this(image, imagePullPolicy, policy, null);
  }

  /** With the default policy ({@link AdmissionPolicy#defaults()}) and no separate CUDA image. */
  public TrainerSettings(String image, String imagePullPolicy) {
    this(image, imagePullPolicy, AdmissionPolicy.defaults());
  }

  /**
   * The default image of a trial that asks for {@code gpus} GPUs: the CUDA image when there is one
   * and the trial wants GPUs, else {@link #image()}.
   */
  public String imageFor(int gpus) {
    return gpus > 0 && gpuImage != null ? gpuImage : image;
  }
}
