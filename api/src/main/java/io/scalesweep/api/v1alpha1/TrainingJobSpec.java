package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One trial of a sweep: a fully resolved shape and the recipe to train it with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobSpec {

  @JsonPropertyDescription("Name of the ScalingSweep this trial belongs to (empty for a stand-alone job).")
  @JsonProperty("sweep")
  private String sweep;

  @JsonPropertyDescription("The trial's shape in the paper's notation, for example NL16-SM.")
  @JsonProperty("code")
  @Required
  @Size(min = 1, max = 253)
  private String code;

  @JsonPropertyDescription("The resolved model shape.")
  @JsonProperty("shape")
  @Required
  @ValidationRule(value = "has(self.encoderLayers) && has(self.decoderLayers) && has(self.dModel) && has(self.dFF) && has(self.dKV) && has(self.numHeads) && has(self.vocabSize)", message = "shape must give encoderLayers, decoderLayers, dModel, dFF, dKV, numHeads and vocabSize")
  @ValidationRule(value = "self == oldSelf", message = "shape is immutable")
  private ShapeSpec shape;

  @JsonPropertyDescription("Pretraining recipe.")
  @JsonProperty("pretrain")
  @Required
  private PretrainSpec pretrain;

  @JsonPropertyDescription("Fine-tuning and downstream evaluation; skipped when absent.")
  @JsonProperty("finetune")
  private FinetuneSpec finetune;

  @JsonPropertyDescription("Resources of the trial's pod.")
  @JsonProperty("resources")
  private ResourcesSpec resources;

  @JsonPropertyDescription("Where checkpoints and results go.")
  @JsonProperty("storage")
  private StorageSpec storage;

  @JsonPropertyDescription("Trainer image; the operator's configured image when empty.")
  @JsonProperty("image")
  private String image;

  @JsonPropertyDescription("Retries after a failure; preemptions and evictions do not count.")
  @JsonProperty("maxRetries")
  @Default("3")
  @Min(0)
  @Max(100)
  private Integer maxRetries;

  @JsonPropertyDescription(
      "Seconds the trial may try to start before it is failed (reason StartDeadlineExceeded) and "
          + "its Job removed: counted from its creation while no Job exists, then from when its Job "
          + "last started (Kueue-suspended time excluded). No deadline when absent.")
  @JsonProperty("startDeadlineSeconds")
  @Min(1)
  private Integer startDeadlineSeconds;

  @JsonPropertyDescription(
      "While true the trial runs no Job: a running Job is deleted (its pod is stopped with SIGTERM), "
          + "none is created, and the trial shows phase Pending with reason Suspended and counts no GPU "
          + "time. When false (or removed) again a new Job is created and the trainer resumes from its "
          + "newest complete checkpoint; a suspension uses up no retries. A sweep with suspendPolicy "
          + "StopRunning sets it on its unfinished trials while it is suspended.")
  @JsonProperty("suspend")
  private Boolean suspend;

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public Integer getStartDeadlineSeconds() {
    return startDeadlineSeconds;
  }

  public void setStartDeadlineSeconds(Integer startDeadlineSeconds) {
    this.startDeadlineSeconds = startDeadlineSeconds;
  }

  public String getSweep() {
    return sweep;
  }

  public void setSweep(String sweep) {
    this.sweep = sweep;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public ShapeSpec getShape() {
    return shape;
  }

  public void setShape(ShapeSpec shape) {
    this.shape = shape;
  }

  public PretrainSpec getPretrain() {
    return pretrain;
  }

  public void setPretrain(PretrainSpec pretrain) {
    this.pretrain = pretrain;
  }

  public FinetuneSpec getFinetune() {
    return finetune;
  }

  public void setFinetune(FinetuneSpec finetune) {
    this.finetune = finetune;
  }

  public ResourcesSpec getResources() {
    return resources;
  }

  public void setResources(ResourcesSpec resources) {
    this.resources = resources;
  }

  public StorageSpec getStorage() {
    return storage;
  }

  public void setStorage(StorageSpec storage) {
    this.storage = storage;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getMaxRetries() {
    return maxRetries;
  }

  public void setMaxRetries(Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

}
