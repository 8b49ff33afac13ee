package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.operator.common.SpecDefaults;
import io.scalesweep.operator.config.TrainerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pod of a trial: the trainer container, its mounts, resources and a locked-down runtime. */
final class TrialPodTemplate {

  static final String CONTAINER = "trainer";
  static final String TMP_DIR = "/tmp";

  private static final String TRIAL_VOLUME = "trial";
  private static final String SHM_VOLUME = "dshm";
  private static final String SCRATCH_VOLUME = "scratch";
  private static final String TMP_VOLUME = "tmp";

  private TrialPodTemplate() {}

  static PodTemplateSpec build(TrainingJob trial, TrainerSettings settings, Map<String, String> labels) {
    ResourcesSpec resources = resources(trial);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(TrialLabels.podAnnotations(trial))
        .endMetadata()
        .withNewSpec()
        // Job pod failure policies require Never: the Job controller, not the kubelet, retries.
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withNodeSelector(resources.getNodeSelector())
        .withTolerations(resources.getTolerations())
        .withPriorityClassName(blankToNull(resources.getPriorityClassName()))
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(trial, settings, resources))
        .withVolumes(volumes(trial, resources))
        .endSpec()
        .build();
  }

  static ResourcesSpec resources(TrainingJob trial) {
    return SpecDefaults.withDefaults(trial.getSpec().getResources(), ResourcesSpec.class, "spec.resources");
  }

  static StorageSpec storage(TrainingJob trial) {
    return SpecDefaults.withDefaults(trial.getSpec().getStorage(), StorageSpec.class, "spec.storage");
  }

  /** Where the trainer writes: {@code <storage>/<namespace>/<sweep>/<trial>/}. */
  static String outputUri(TrainingJob trial) {
    String sweep = trial.getSpec().getSweep() == null ? "" : trial.getSpec().getSweep();
    return StorageLayout.trialUri(
        storage(trial).getUri(), trial.getMetadata().getNamespace(), sweep, trial.getMetadata().getName());
  }

  /** Where the trial's trainer stores its {@code result.json}. */
  static String resultUri(TrainingJob trial) {
    return outputUri(trial) + StorageLayout.RESULT_FILE;
  }

  private static Container container(TrainingJob trial, TrainerSettings settings, ResourcesSpec resources) {
    String image = trial.getSpec().getImage();
    return new ContainerBuilder()
        .withName(CONTAINER)
        // No spec.image: the CUDA trainer image for trials with GPUs (when the chart names one).
        .withImage(image == null || image.isBlank() ? settings.imageFor(resources.getGpus()) : image)
        .withImagePullPolicy(settings.imagePullPolicy())
        .withArgs(
            TrainerContract.TRAIN_COMMAND,
            TrainerContract.OPT_TRIAL,
            TrainerContract.TRIAL_PATH,
            TrainerContract.OPT_OUTPUT,
            outputUri(trial))
        .withEnv(env(trial, resources))
        .withResources(requirements(resources))
        .withTerminationMessagePath(TrainerContract.TERMINATION_LOG)
        // File, not FallbackToLogsOnError: the message is the trainer's JSON result or nothing,
        // never a log tail the operator would then try to parse.
        .withTerminationMessagePolicy("File")
        .withSecurityContext(
            new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build())
        .withVolumeMounts(
            new VolumeMountBuilder()
                .withName(TRIAL_VOLUME)
                .withMountPath(TrainerContract.TRIAL_MOUNT_DIR)
                .withReadOnly(true)
                .build(),
            new VolumeMountBuilder().withName(SHM_VOLUME).withMountPath(TrainerContract.SHM_DIR).build(),
            new VolumeMountBuilder().withName(SCRATCH_VOLUME).withMountPath(TrainerContract.SCRATCH_DIR).build(),
            new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_DIR).build())
        .build();
  }

  private static List<EnvVar> env(TrainingJob trial, ResourcesSpec resources) {
    StorageSpec storage = storage(trial);
    List<EnvVar> env = new ArrayList<>();
    env.add(value(TrainerContract.ENV_DJL_OFFLINE, "true"));
    env.add(value(TrainerContract.ENV_OPT_OUT_TRACKING, "true"));
    env.add(value(TrainerContract.ENV_DJL_CACHE_DIR, TrainerContract.DJL_CACHE_DIR));
    env.add(value(TrainerContract.ENV_EXPECTED_GPUS, Integer.toString(resources.getGpus())));
    env.add(value(TrainerContract.ENV_OWNER_UID, ownerUid(trial)));
    env.add(value(TrainerContract.ENV_AWS_REGION, storage.getRegion()));
    env.add(value(TrainerContract.ENV_S3_PATH_STYLE, Boolean.toString(storage.getPathStyle())));
    if (storage.getEndpoint() != null && !storage.getEndpoint().isBlank()) {
      env.add(value(TrainerContract.ENV_S3_ENDPOINT, storage.getEndpoint()));
    }
    String secret = storage.getSecretRef();
    if (secret != null && !secret.isBlank()) {
      // By reference only: the values never pass through the operator, the spec or the status.
      env.add(fromSecret(TrainerContract.ENV_AWS_ACCESS_KEY_ID, secret));
      env.add(fromSecret(TrainerContract.ENV_AWS_SECRET_ACCESS_KEY, secret));
    }
    return env;
  }

  /**
   * The UID the trial's folder in storage must belong to: its sweep's, so that every trial of one
   * sweep agrees, or the TrainingJob's own when no sweep owns it.
   */
  static String ownerUid(TrainingJob trial) {
    return trial.getMetadata().getOwnerReferences().stream()
        .filter(r -> HasMetadata.getKind(ScalingSweep.class).equals(r.getKind()))
        .map(OwnerReference::getUid)
        .findFirst()
        .orElse(trial.getMetadata().getUid());
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements requirements(ResourcesSpec r) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    requests.put("cpu", new Quantity(r.getCpu()));
    requests.put("memory", new Quantity(r.getMemory()));
    Map<String, Quantity> limits = new LinkedHashMap<>(requests);
    if (r.getGpus() > 0) {
      // Extended resources cannot be overcommitted: the limit is also the request.
      limits.put(r.getGpuResource(), new Quantity(Integer.toString(r.getGpus())));
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static List<Volume> volumes(TrainingJob trial, ResourcesSpec resources) {
    return List.of(
        new VolumeBuilder()
            .withName(TRIAL_VOLUME)
            .withNewConfigMap()
            .withName(TrialConfigMapDependentResource.configMapName(trial))
            .endConfigMap()
            .build(),
        new VolumeBuilder()
            .withName(SHM_VOLUME)
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity(resources.getShmSize()))
            .endEmptyDir()
            .build(),
        new VolumeBuilder().withName(SCRATCH_VOLUME).withNewEmptyDir().endEmptyDir().build(),
        new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fromSecret(String name, String secret) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(name)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
