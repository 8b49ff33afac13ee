package io.scalesweep.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** What each trial's pod asks the cluster for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {

  @JsonPropertyDescription("GPUs per trial; 0 trains on CPU.")
  @JsonProperty("gpus")
  @Default("1")
  @Min(0)
  @Max(16)
  private Integer gpus;

  @JsonPropertyDescription("Extended resource name of the GPU.")
  @JsonProperty("gpuResource")
  @Default("nvidia.com/gpu")
  @Pattern("^([a-z0-9.-]+/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
  private String gpuResource;

  @JsonPropertyDescription("CPU request and limit (a Kubernetes quantity).")
  @JsonProperty("cpu")
  @Default("8")
  @Pattern(QUANTITY)
  private String cpu;

  @JsonPropertyDescription("Memory request and limit (a Kubernetes quantity).")
  @JsonProperty("memory")
  @Default("64Gi")
  @Pattern(QUANTITY)
  private String memory;

  @JsonPropertyDescription("Size of the memory-backed /dev/shm.")
  @JsonProperty("shmSize")
  @Default("2Gi")
  @Pattern(QUANTITY)
  private String shmSize;

  @JsonPropertyDescription("Node labels the pod must run on.")
  @JsonProperty("nodeSelector")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations for tainted GPU nodes.")
  @JsonProperty("tolerations")
  @Size(max = 32)
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Priority class of the trial pods.")
  @JsonProperty("priorityClassName")
  private String priorityClassName;

  @JsonPropertyDescription("Kueue LocalQueue; sets the kueue.x-k8s.io/queue-name label.")
  @JsonProperty("queueName")
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String queueName;

  public Integer getGpus() {
    return gpus;
  }

  public void setGpus(Integer gpus) {
    this.gpus = gpus;
  }

  public String getGpuResource() {
    return gpuResource;
  }

  public void setGpuResource(String gpuResource) {
    this.gpuResource = gpuResource;
  }

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public String getShmSize() {
    return shmSize;
  }

  public void setShmSize(String shmSize) {
    this.shmSize = shmSize;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public String getQueueName() {
    return queueName;
  }

  public void setQueueName(String queueName) {
    this.queueName = queueName;
  }

  /** A Kubernetes resource quantity such as 8, 500m, 64Gi or 1.5e3. */
  static final String QUANTITY = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";
}
