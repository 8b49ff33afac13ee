package io.scalesweep.operator.trainingjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.ScalingOp;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialJobDependentResourceTest {

  private final TrialJobDependentResource dependent =
      new TrialJobDependentResource(new TrainerSettings("registry.example/trainer:1.2", "IfNotPresent"));

  @Test
  void runsTheTrainerOnTheMountedTrialAndWritesUnderTheSweepPrefix() {
    TrainingJob trial = Fixtures.trainingJob("deepnarrow-nl16-sm");

    Container c = container(dependent.desired(trial));

    assertThat(c.getImage()).isEqualTo("registry.example/trainer:1.2");
    assertThat(c.getArgs())
        .containsExactly(
            "train", "--trial", "/etc/scalesweep/trial.json",
            "--output", "s3://sweeps/research/deepnarrow/deepnarrow-nl16-sm/");
    assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
    assertThat(c.getTerminationMessagePath()).isEqualTo(TrainerContract.TERMINATION_LOG);
    assertThat(c.getVolumeMounts())
        .anySatisfy(m -> {
          assertThat(m.getMountPath()).isEqualTo(TrainerContract.TRIAL_MOUNT_DIR);
          assertThat(m.getReadOnly()).isTrue();
        });
  }

  @Test
  void theTrainerIsToldWhichSweepItsFolderInStorageBelongsTo() {
    TrainingJob owned = Fixtures.trainingJob("deepnarrow-nl16-sm");
    owned.getMetadata().setUid("tj-uid");
    owned.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("scalesweep.io/v1alpha1").withKind("ScalingSweep").withName("deepnarrow")
        .withUid("sweep-uid").build()));
    TrainingJob alone = Fixtures.trainingJob("alone");
    alone.getMetadata().setUid("alone-uid");

    assertThat(container(dependent.desired(owned)).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo(TrainerContract.ENV_OWNER_UID);
          assertThat(e.getValue()).isEqualTo("sweep-uid");
        });
    assertThat(container(dependent.desired(alone)).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo(TrainerContract.ENV_OWNER_UID);
          assertThat(e.getValue()).isEqualTo("alone-uid");
        });
  }

  @Test
  void specImageOverridesTheConfiguredOne() {
    TrainingJob trial = Fixtures.trainingJob("t");
    trial.getSpec().setImage("mine/trainer:dev");

    assertThat(container(dependent.desired(trial)).getImage()).isEqualTo("mine/trainer:dev");
  }

  @Test
  void trialsWithGpusRunTheCudaImageWhenOneIsConfigured() {
    var withCuda = new TrialJobDependentResource(new TrainerSettings(
        "registry.example/trainer:1.2", "IfNotPresent", io.scalesweep.operator.config.AdmissionPolicy.defaults(),
        "registry.example/trainer:1.2-cu128"));
    TrainingJob gpu = Fixtures.trainingJob("gpu");
    gpu.getSpec().getResources().setGpus(1);
    TrainingJob cpu = Fixtures.trainingJob("cpu");
    cpu.getSpec().getResources().setGpus(0);

    assertThat(container(withCuda.desired(gpu)).getImage()).isEqualTo("registry.example/trainer:1.2-cu128");
    assertThat(container(withCuda.desired(cpu)).getImage()).isEqualTo("registry.example/trainer:1.2");
    assertThat(container(dependent.desired(gpu)).getImage()).as("no CUDA image configured").isEqualTo("registry.example/trainer:1.2");
  }

  @Test
  void asksForGpusAsLimitsOnlyWhenThereAreAny() {
    TrainingJob gpu = Fixtures.trainingJob("gpu");
    gpu.getSpec().getResources().setGpus(2);
    gpu.getSpec().getResources().setGpuResource("amd.com/gpu");
    TrainingJob cpu = Fixtures.trainingJob("cpu");
    cpu.getSpec().getResources().setGpus(0);

    var gpuResources = container(dependent.desired(gpu)).getResources();
    var cpuResources = container(dependent.desired(cpu)).getResources();

    assertThat(gpuResources.getLimits())
        .containsEntry("amd.com/gpu", new Quantity("2"))
        .containsEntry("cpu", new Quantity("8"))
        .containsEntry("memory", new Quantity("64Gi"));
    assertThat(gpuResources.getRequests())
        .containsEntry("cpu", new Quantity("8"))
        .containsEntry("memory", new Quantity("64Gi"))
        .doesNotContainKey("amd.com/gpu");
    assertThat(cpuResources.getLimits()).containsOnlyKeys("cpu", "memory");
    assertThat(env(container(dependent.desired(cpu)), TrainerContract.ENV_EXPECTED_GPUS)).isEqualTo("0");
    assertThat(env(container(dependent.desired(gpu)), TrainerContract.ENV_EXPECTED_GPUS)).isEqualTo("2");
  }

  @Test
  void placesThePodWhereTheSpecSays() {
    TrainingJob trial = Fixtures.trainingJob("t");
    ResourcesSpec r = trial.getSpec().getResources();
    r.setNodeSelector(Map.of("pool", "a100"));
    Toleration toleration =
        new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build();
    r.setTolerations(List.of(toleration));
    r.setPriorityClassName("research-low");
    r.setQueueName("team-a");

    Job job = dependent.desired(trial);
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    assertThat(pod.getNodeSelector()).containsEntry("pool", "a100");
    assertThat(pod.getTolerations()).containsExactly(toleration);
    assertThat(pod.getPriorityClassName()).isEqualTo("research-low");
    assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a");
  }

  /**
   * A sweep from small to NL32-SM under two rules: each trial's Job asks for its rule's GPUs,
   * memory and nodes, and carries the queue label, so Kueue admits it by its own GPU count.
   */
  @Test
  void eachTrialOfASweepGetsTheResourcesOfItsShapeRule() {
    var withCuda = new TrialJobDependentResource(new TrainerSettings(
        "registry.example/trainer:1.2", "IfNotPresent", io.scalesweep.operator.config.AdmissionPolicy.defaults(),
        "registry.example/trainer:1.2-cu128"));
    ScalingSweep sweep = Fixtures.sweep("gp", List.of(32), List.of(1024));
    sweep.getSpec().setScaling(List.of(Fixtures.rule(ScalingOp.NL, List.of(32))));
    SweepResourcesSpec resources = sweep.getSpec().getResources();
    resources.setGpus(8);
    resources.setQueueName("team-a");
    resources.setNodeSelector(Map.of("pool", "default"));
    ShapeResourceRule cpuOnly = new ShapeResourceRule();
    cpuOnly.setMaxParams(ParamCounter.count(BaseSize.SMALL.shape()));
    cpuOnly.setGpus(0);
    cpuOnly.setMemory("16Gi");
    ShapeResourceRule twoGpus = new ShapeResourceRule();
    twoGpus.setMaxParams(ParamCounter.count(BaseSize.SMALL.shape().withEncoderLayers(32).withDecoderLayers(32)));
    twoGpus.setGpus(2);
    twoGpus.setNodeSelector(Map.of("gpu", "a100"));
    resources.setByShape(List.of(cpuOnly, twoGpus));
    List<Trial> trials = SweepExpander.expand("gp", sweep.getSpec());
    assertThat(trials).extracting(Trial::code).containsExactly("SM", "NL32-SM");

    Map<String, Job> jobs = new java.util.LinkedHashMap<>();
    for (Trial t : trials) {
      TrainingJob tj = Fixtures.trainingJob(t.name());
      tj.setSpec(TrialSpecs.of("gp", sweep.getSpec(), t));
      jobs.put(t.code(), withCuda.desired(tj));
    }

    Container small = container(jobs.get("SM"));
    assertThat(small.getResources().getLimits()).containsOnlyKeys("cpu", "memory").containsEntry("memory", new Quantity("16Gi"));
    assertThat(small.getImage()).isEqualTo("registry.example/trainer:1.2");
    assertThat(jobs.get("SM").getSpec().getTemplate().getSpec().getNodeSelector()).containsExactly(Map.entry("pool", "default"));
    Container deep = container(jobs.get("NL32-SM"));
    assertThat(deep.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2")).containsEntry("memory", new Quantity("64Gi"));
    assertThat(deep.getImage()).isEqualTo("registry.example/trainer:1.2-cu128");
    assertThat(env(deep, TrainerContract.ENV_EXPECTED_GPUS)).isEqualTo("2");
    assertThat(jobs.get("NL32-SM").getSpec().getTemplate().getSpec().getNodeSelector()).containsExactly(Map.entry("gpu", "a100"));
    assertThat(jobs.values()).allSatisfy(j -> assertThat(j.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "team-a"));
  }

  @Test
  void noQueueLabelOrPriorityClassWhenNoneIsSet() {
    Job job = dependent.desired(Fixtures.trainingJob("t"));

    assertThat(job.getMetadata().getLabels()).doesNotContainKey("kueue.x-k8s.io/queue-name");
    assertThat(job.getSpec().getTemplate().getSpec().getPriorityClassName()).isNull();
  }

  @Test
  void runsLockedDownWithWritableScratchAndMemoryBackedShm() {
    TrainingJob trial = Fixtures.trainingJob("t");
    trial.getSpec().getResources().setShmSize("8Gi");

    PodSpec pod = dependent.desired(trial).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);

    var sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    Volume shm = volumeMountedAt(pod, c, TrainerContract.SHM_DIR);
    assertThat(shm.getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(shm.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("8Gi"));
    assertThat(volumeMountedAt(pod, c, TrainerContract.SCRATCH_DIR).getEmptyDir()).isNotNull();
    assertThat(volumeMountedAt(pod, c, "/tmp").getEmptyDir()).isNotNull();
    assertThat(volumeMountedAt(pod, c, TrainerContract.TRIAL_MOUNT_DIR).getConfigMap().getName())
        .isEqualTo(TrialConfigMapDependentResource.configMapName(trial));
  }

  @Test
  void passesCredentialsByReferenceOnly() {
    TrainingJob trial = Fixtures.trainingJob("t");

    Container c = container(dependent.desired(trial));

    EnvVar key = c.getEnv().stream()
        .filter(e -> e.getName().equals("AWS_SECRET_ACCESS_KEY")).findFirst().orElseThrow();
    assertThat(key.getValue()).isNull();
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3-credentials");
    assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_SECRET_ACCESS_KEY");
    assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("AWS_ACCESS_KEY_ID"));
    assertThat(env(c, "DJL_OFFLINE")).isEqualTo("true");
    assertThat(env(c, "OPT_OUT_TRACKING")).isEqualTo("true");
    assertThat(env(c, "DJL_CACHE_DIR")).startsWith(TrainerContract.SCRATCH_DIR);
  }

  @Test
  void noCredentialEnvWithoutASecret() {
    TrainingJob trial = Fixtures.trainingJob("t");
    trial.getSpec().getStorage().setSecretRef(null);

    assertThat(container(dependent.desired(trial)).getEnv())
        .noneSatisfy(e -> assertThat(e.getName()).startsWith("AWS_SECRET"));
  }

  @Test
  void retriesAreTheJobsBackoffLimitAndDisruptionsAreIgnored() {
    TrainingJob trial = Fixtures.trainingJob("t");
    trial.getSpec().setMaxRetries(5);

    Job job = dependent.desired(trial);

    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(5);
    assertThat(job.getSpec().getCompletions()).isEqualTo(1);
    assertThat(job.getSpec().getParallelism()).isEqualTo(1);
    assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("Failed");
    assertThat(job.getSpec().getTtlSecondsAfterFinished()).as("finished Jobs leave the caches").isEqualTo(3600);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(0).getOnPodConditions().get(0).getType()).isEqualTo("DisruptionTarget");
    assertThat(rules.get(1).getAction()).isEqualTo("FailJob");
    assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(TrainerContract.EXIT_INVALID_TRIAL);
    assertThat(rules.get(1).getOnExitCodes().getContainerName()).isEqualTo("trainer");
  }

  @Test
  void maxRetriesFallsBackToTheSchemaDefault() {
    TrainingJob trial = Fixtures.trainingJob("t");
    trial.getSpec().setMaxRetries(null);

    assertThat(dependent.desired(trial).getSpec().getBackoffLimit()).isEqualTo(3);
  }

  @Test
  void longTrialNamesGiveJobNamesThatFitTheJobNameLabel() {
    String name = "a-very-long-sweep-name-that-goes-on-and-on-and-on-" + "nl16-ff12k-dm2k-sh1-skv-xxxl";
    TrainingJob trial = Fixtures.trainingJob(name);

    Job job = dependent.desired(trial);

    assertThat(job.getMetadata().getName())
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(job.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("scalesweep.io/training-job-name", name);
    assertThat(job.getMetadata().getLabels().values())
        .allSatisfy(v -> assertThat(v).hasSizeLessThanOrEqualTo(63));
  }

  @Test
  void desiredIsAPureFunction() {
    TrainingJob trial = Fixtures.trainingJob("t");
    String before = Json.write(trial);

    Job first = dependent.desired(trial);

    assertThat(Json.sameJson(first, dependent.desired(trial))).isTrue();
    assertThat(Json.write(trial)).as("the primary is not changed").isEqualTo(before);
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow().getValue();
  }

  private static Volume volumeMountedAt(PodSpec pod, Container c, String path) {
    String name = c.getVolumeMounts().stream()
        .filter(m -> m.getMountPath().equals(path)).findFirst().orElseThrow().getName();
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }
}
