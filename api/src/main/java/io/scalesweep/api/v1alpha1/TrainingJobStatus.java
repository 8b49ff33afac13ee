package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Observed state of a TrainingJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(value = ConditionsSchema.class, input = "conditions")
public class TrainingJobStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  @JsonProperty("observedGeneration")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
  @JsonProperty("phase")
  private TrialPhase phase;

  @JsonPropertyDescription("Standard conditions: Ready, Running, Failed, and ReconcileError while the operator cannot reconcile the trial.")
  @JsonProperty("conditions")
  private List<Condition> conditions;

  @JsonPropertyDescription("Failures retried so far.")
  @JsonProperty("retries")
  private Integer retries;

  @JsonPropertyDescription("Preemptions and evictions seen (they do not count as retries).")
  @JsonProperty("disruptions")
  private Integer disruptions;

  @JsonPropertyDescription(
      "Pods already counted in disruptions, newest last (at most 20): a disrupted pod stays "
          + "visible for a while and must be counted once.")
  @JsonProperty("disruptedPods")
  @Size(max = 20)
  private List<String> disruptedPods;

  @JsonPropertyDescription("The batch/v1 Job running the trial.")
  @JsonProperty("jobName")
  private String jobName;

  @JsonPropertyDescription("When the trial first started (RFC 3339).")
  @JsonProperty("startTime")
  private String startTime;

  @JsonPropertyDescription("When the trial succeeded or finally failed (RFC 3339).")
  @JsonProperty("completionTime")
  private String completionTime;

  @JsonPropertyDescription("Live progress.")
  @JsonProperty("progress")
  private TrainingProgress progress;

  @JsonPropertyDescription("GPU time the trial's pods used; time its Job was suspended or pending is not counted.")
  @JsonProperty("gpuTime")
  private TrialGpuTime gpuTime;

  @JsonPropertyDescription("Final metrics, from the pod's termination message.")
  @JsonProperty("result")
  private TrialResult result;

  @JsonPropertyDescription("URI of result.json.")
  @JsonProperty("resultUri")
  private String resultUri;

  @JsonPropertyDescription("URI of the final checkpoint.")
  @JsonProperty("checkpointUri")
  private String checkpointUri;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public TrialPhase getPhase() {
    return phase;
  }

  /**
   * Whether {@code status} (null before a trial's first reconciliation) is final: Succeeded or
   * Failed. Static so that it stays out of the CRD's schema.
   */
  public static boolean finished(TrainingJobStatus status) {
    return status != null && status.getPhase() != null && status.getPhase().isFinished();
  }

  public void setPhase(TrialPhase phase) {
    this.phase = phase;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getRetries() {
    return retries;
  }

  public void setRetries(Integer retries) {
    this.retries = retries;
  }

  public Integer getDisruptions() {
    return disruptions;
  }

  public void setDisruptions(Integer disruptions) {
    this.disruptions = disruptions;
  }

  public List<String> getDisruptedPods() {
    return disruptedPods;
  }

  public void setDisruptedPods(List<String> disruptedPods) {
    this.disruptedPods = disruptedPods;
  }

  public String getJobName() {
    return jobName;
  }

  public void setJobName(String jobName) {
    this.jobName = jobName;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public TrainingProgress getProgress() {
    return progress;
  }

  public void setProgress(TrainingProgress progress) {
    this.progress = progress;
  }

  public TrialGpuTime getGpuTime() {
    return gpuTime;
  }

  public void setGpuTime(TrialGpuTime gpuTime) {
    this.gpuTime = gpuTime;
  }

  public TrialResult getResult() {
    return result;
  }

  public void setResult(TrialResult result) {
    this.result = result;
  }

  public String getResultUri() {
    return resultUri;
  }

  public void setResultUri(String resultUri) {
    this.resultUri = resultUri;
  }

  public String getCheckpointUri() {
    return checkpointUri;
  }

  public void setCheckpointUri(String checkpointUri) {
    this.checkpointUri = checkpointUri;
  }

}
