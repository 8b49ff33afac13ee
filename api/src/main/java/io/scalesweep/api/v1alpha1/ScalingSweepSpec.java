package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.scalesweep.api.shape.BaseSize;
import java.util.List;

/**
 * What to sweep: a base shape, the scaling operators to apply to it, and the recipe every trial
 * runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.includeBase || (has(self.scaling) && size(self.scaling) > 0) || (has(self.variants) && size(self.variants) > 0)", message = "the sweep expands to nothing: set includeBase, or give scaling rules or variants")
// The recipe is fixed once the sweep exists, or its Pareto sets would compare different
// experiments. Rules on the object, not on each field: the API server skips a field's own
// transition rule when the field is added or removed, which has() == has() catches.
@ValidationRule(value = "has(self.base) == has(oldSelf.base) && (!has(self.base) || self.base == oldSelf.base)", message = "base is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".base")
@ValidationRule(value = "has(self.overrides) == has(oldSelf.overrides) && (!has(self.overrides) || self.overrides == oldSelf.overrides)", message = "overrides is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".overrides")
@ValidationRule(value = "has(self.scaling) == has(oldSelf.scaling) && (!has(self.scaling) || self.scaling == oldSelf.scaling)", message = "scaling is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".scaling")
@ValidationRule(value = "has(self.grid) == has(oldSelf.grid) && (!has(self.grid) || self.grid == oldSelf.grid)", message = "grid is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".grid")
@ValidationRule(value = "has(self.includeBase) == has(oldSelf.includeBase) && (!has(self.includeBase) || self.includeBase == oldSelf.includeBase)", message = "includeBase is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".includeBase")
@ValidationRule(value = "has(self.variants) == has(oldSelf.variants) && (!has(self.variants) || self.variants == oldSelf.variants)", message = "variants is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".variants")
@ValidationRule(value = "has(self.pretrain) == has(oldSelf.pretrain) && (!has(self.pretrain) || self.pretrain == oldSelf.pretrain)", message = "pretrain is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".pretrain")
@ValidationRule(value = "has(self.finetune) == has(oldSelf.finetune) && (!has(self.finetune) || self.finetune == oldSelf.finetune)", message = "finetune is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".finetune")
@ValidationRule(value = "has(self.resources) == has(oldSelf.resources) && (!has(self.resources) || self.resources == oldSelf.resources)", message = "resources is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".resources")
// A sweep without storage launches nothing and waits for it: storage may be given once, later.
@ValidationRule(value = "!has(oldSelf.storage) || (has(self.storage) && self.storage == oldSelf.storage)", message = "storage is fixed once given (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".storage")
@ValidationRule(value = "has(self.image) == has(oldSelf.image) && (!has(self.image) || self.image == oldSelf.image)", message = "image is fixed once the sweep exists (only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change): create a new sweep to change it", fieldPath = ".image")
public class ScalingSweepSpec {

  /** The paper's notation of one trial, such as NL16-SM or DM2K-FF12K-BA. */
  static final String VARIANT_NOTATION = "^(([A-Z]+[0-9]+K?|SKV)-)*(TI|MI|SM|BA|LG|XL|XXL|XXXL)$";

  @JsonPropertyDescription(
      "Base size the operators are applied to: tiny, mini, small, base, large, xl, xxl or "
          + "xxxl.")
  @JsonProperty("base")
  @Required
  private BaseSize base;

  @JsonPropertyDescription("Shape fields applied to every base before the operators (for example vocabSize).")
  @JsonProperty("overrides")
  private ShapeSpec overrides;

  @JsonPropertyDescription(
      "Scaling operators with the values to sweep. By default each value of each operator "
          + "is applied alone to the base.")
  @JsonProperty("scaling")
  @Size(max = 16)
  private List<ScalingRule> scaling;

  @JsonPropertyDescription("Apply the cartesian product of all operators' values instead of one at a time.")
  @JsonProperty("grid")
  @Default("false")
  private Boolean grid;

  @JsonPropertyDescription("Also train the unmodified base.")
  @JsonProperty("includeBase")
  @Default("true")
  private Boolean includeBase;

  @JsonPropertyDescription(
      "Explicit trials in the paper's notation, such as NL16-SM, FF12K-BA or SKV-BA (K = "
          + "x1024).")
  @JsonProperty("variants")
  @Size(max = 1000)
  // A pattern on the items, not a CEL rule over the list: CEL's cost estimate for matching
  // 1000 strings of unbounded length exceeds the API server's budget, which then refuses the
  // whole CRD.
  private List<@Pattern(VARIANT_NOTATION) String> variants;

  @JsonPropertyDescription("Pretraining recipe shared by every trial.")
  @JsonProperty("pretrain")
  @Required
  private PretrainSpec pretrain;

  @JsonPropertyDescription("Fine-tuning and downstream evaluation; skipped when absent.")
  @JsonProperty("finetune")
  private FinetuneSpec finetune;

  @JsonPropertyDescription("Resources of each trial's pod: the default, and byShape rules that size a trial by its parameters or FLOPs per step.")
  @JsonProperty("resources")
  private SweepResourcesSpec resources;

  @JsonPropertyDescription("Trials running at once.")
  @JsonProperty("parallelism")
  @Default("4")
  @Min(1)
  @Max(1000)
  private Integer parallelism;

  @JsonPropertyDescription("Retry and give-up policy.")
  @JsonProperty("failurePolicy")
  private FailurePolicySpec failurePolicy;

  @JsonPropertyDescription("Object storage for checkpoints and results; required to run in a cluster.")
  @JsonProperty("storage")
  private StorageSpec storage;

  @JsonPropertyDescription("Trainer image; the operator's configured image when empty.")
  @JsonProperty("image")
  private String image;

  @JsonPropertyDescription(
      "Seconds a trial may try to start (its Secret missing, its image not pulled, its pod not "
          + "scheduled or not created) before it is failed and its pod removed, giving its GPU and "
          + "parallelism slot back. Such a failure does not count toward failurePolicy.maxFailedTrials. "
          + "Time a queue (Kueue) holds the trial's Job suspended does not count. No deadline when absent.")
  @JsonProperty("startDeadlineSeconds")
  @Min(1)
  private Integer startDeadlineSeconds;

  @JsonPropertyDescription(
      "Launch no new trials while true. Under suspendPolicy StopLaunching running trials finish; "
          + "under StopRunning they are suspended too and resume from their checkpoints when this is false again.")
  @JsonProperty("suspend")
  @Default("false")
  private Boolean suspend;

  @JsonPropertyDescription(
      "What suspend stops. StopLaunching (the default): no new trials are launched, running trials "
          + "finish. StopRunning: the unfinished trials are suspended as well (each TrainingJob gets "
          + "spec.suspend: true, its Job is deleted and its pod stopped, and it counts no GPU time); when "
          + "the sweep resumes (suspend false, or the policy back to StopLaunching) they run again from "
          + "their newest complete checkpoint, without using up retries. May change at any time.")
  @JsonProperty("suspendPolicy")
  @Default("StopLaunching")
  private SuspendPolicy suspendPolicy;

  public BaseSize getBase() {
    return base;
  }

  public void setBase(BaseSize base) {
    this.base = base;
  }

  public ShapeSpec getOverrides() {
    return overrides;
  }

  public void setOverrides(ShapeSpec overrides) {
    this.overrides = overrides;
  }

  public List<ScalingRule> getScaling() {
    return scaling;
  }

  public void setScaling(List<ScalingRule> scaling) {
    this.scaling = scaling;
  }

  public Boolean getGrid() {
    return grid;
  }

  public void setGrid(Boolean grid) {
    this.grid = grid;
  }

  public Boolean getIncludeBase() {
    return includeBase;
  }

  public void setIncludeBase(Boolean includeBase) {
    this.includeBase = includeBase;
  }

  public List<String> getVariants() {
    return variants;
  }

  public void setVariants(List<String> variants) {
    this.variants = variants;
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

  public SweepResourcesSpec getResources() {
    return resources;
  }

  public void setResources(SweepResourcesSpec resources) {
    this.resources = resources;
  }

  public Integer getParallelism() {
    return parallelism;
  }

  public void setParallelism(Integer parallelism) {
    this.parallelism = parallelism;
  }

  public FailurePolicySpec getFailurePolicy() {
    return failurePolicy;
  }

  public void setFailurePolicy(FailurePolicySpec failurePolicy) {
    this.failurePolicy = failurePolicy;
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

  public Integer getStartDeadlineSeconds() {
    return startDeadlineSeconds;
  }

  public void setStartDeadlineSeconds(Integer startDeadlineSeconds) {
    this.startDeadlineSeconds = startDeadlineSeconds;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public SuspendPolicy getSuspendPolicy() {
    return suspendPolicy;
  }

  public void setSuspendPolicy(SuspendPolicy suspendPolicy) {
    this.suspendPolicy = suspendPolicy;
  }

}
