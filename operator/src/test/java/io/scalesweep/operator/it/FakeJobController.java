package io.scalesweep.operator.it;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.testing.Fixtures;
import io.scalesweep.operator.common.Json;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for what a bare API server lacks: the Job controller, the scheduler and the kubelet.
 * It starts a pod from each Job's template, lets tests end pods the way a kubelet or the
 * scheduler would (success with a termination message, a failing exit code, preemption), and
 * then does what the Job controller does with the Job the operator wrote: it applies that Job's
 * own {@code podFailurePolicy} and {@code backoffLimit}. So the ITs check the operator's Job spec
 * against Kubernetes' documented semantics, not against a copy of the operator's logic.
 */
public final class FakeJobController {

  private static final String CONTAINER = "trainer";

  private final KubernetesClient client;
  private final String namespace;

  public FakeJobController(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    // The storage Secret the fixtures name, as an admin would have made it: the operator launches
    // no trial whose Secret is missing. Empty, so storage still cannot be reached with it.
    client.secrets().inNamespace(namespace).resource(new SecretBuilder()
        .withNewMetadata().withName(Fixtures.storage().getSecretRef()).withNamespace(namespace).endMetadata()
        .build()).serverSideApply();
  }

  /** Starts a running pod for every unfinished Job that has no live pod; returns the new pods. */
  public synchronized List<Pod> startPods() {
    List<Pod> started = new ArrayList<>();
    for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
      if (!isFinished(job) && livePod(job).isEmpty()) {
        started.add(startPod(job));
      }
    }
    return started;
  }

  /** The pod of this Job that has not terminated, if any. */
  public Optional<Pod> livePod(Job job) {
    return podsOf(job).stream().filter(p -> !isTerminated(p)).findFirst();
  }

  public Optional<Pod> livePod(String jobName) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
    return job == null ? Optional.empty() : livePod(job);
  }

  public List<Pod> podsOf(Job job) {
    return client.pods().inNamespace(namespace)
        .withLabel("batch.kubernetes.io/controller-uid", job.getMetadata().getUid())
        .list().getItems();
  }

  /** The trainer exits 0 and leaves its result as the termination message. */
  public synchronized void succeed(Pod pod, TrialResult result) {
    terminate(pod, 0, Json.write(result), null);
    Job job = jobOf(pod);
    String now = now();
    editJobStatus(job, j -> {
      j.getStatus().setActive(0);
      j.getStatus().setReady(0);
      j.getStatus().setSucceeded(1);
      j.getStatus().setCompletionTime(now);
      addCondition(j, "SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods");
      addCondition(j, "Complete", "CompletionsReached", "Reached expected number of succeeded pods");
    });
  }

  /** The trainer exits with a failing code. */
  public synchronized void fail(Pod pod, int exitCode) {
    terminate(pod, exitCode, null, null);
    applyFailurePolicy(pod);
  }

  /** The scheduler preempts the pod: DisruptionTarget, then SIGTERM (exit 143). */
  public synchronized void preempt(Pod pod) {
    PodCondition disruption = new PodConditionBuilder()
        .withType("DisruptionTarget")
        .withStatus("True")
        .withReason("PreemptionByScheduler")
        .withMessage("preempted by a higher-priority pod")
        .withLastTransitionTime(now())
        .build();
    terminate(pod, 143, null, disruption);
    applyFailurePolicy(pod);
  }

  /**
   * A pod of the Job that the kubelet cannot start, its trainer container waiting with this
   * reason (CreateContainerConfigError for a missing Secret, ImagePullBackOff ...).
   */
  public synchronized Pod stuckPod(Job job, String reason, String message) {
    Pod created = client.pods().inNamespace(namespace).resource(podOf(job)).create();
    String started = now();
    editJobStatus(job, j -> {
      if (j.getStatus().getStartTime() == null) {
        j.getStatus().setStartTime(started);
      }
    });
    return client.pods().inNamespace(namespace).withName(created.getMetadata().getName()).editStatus(p -> {
      p.getStatus().setPhase("Pending");
      p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder()
          .withName(CONTAINER).withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .withImageID("").withReady(false).withRestartCount(0).withStarted(false)
          .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
          .build()));
      return p;
    });
  }

  /**
   * What Kueue and the Job controller do when a queue preempts a workload: Kueue sets {@code
   * spec.suspend}, the Job controller deletes the Job's pods, clears its start time and reports
   * {@code Suspended=True}.
   */
  public synchronized void suspend(Job job) {
    client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName())
        .edit(j -> {
          j.getSpec().setSuspend(true);
          return j;
        });
    for (Pod pod : podsOf(job)) {
      client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
    }
    editJobStatus(job, j -> {
      noActivePod(j);
      j.getStatus().setStartTime(null);
      addCondition(j, "Suspended", "JobSuspended", "Job suspended");
    });
  }

  private Pod podOf(Job job) {
    var template = job.getSpec().getTemplate();
    String name = job.getMetadata().getName() + "-" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(template.getMetadata().getLabels())
        .withAnnotations(template.getMetadata().getAnnotations())
        .withOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private Pod startPod(Job job) {
    var template = job.getSpec().getTemplate();
    Pod pod = podOf(job);
    String name = pod.getMetadata().getName();
    Pod created = client.pods().inNamespace(namespace).resource(pod).create();
    String now = now();
    Pod running = client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
      p.getStatus().setPhase("Running");
      p.getStatus().setStartTime(now);
      p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder()
          .withName(CONTAINER).withImage(template.getSpec().getContainers().get(0).getImage()).withImageID("")
          .withReady(true).withRestartCount(0).withStarted(true)
          .withNewState().withNewRunning(now).endState()
          .build()));
      return p;
    });
    editJobStatus(job, j -> {
      if (j.getStatus().getStartTime() == null) {
        j.getStatus().setStartTime(now);
      }
      j.getStatus().setActive(1);
      j.getStatus().setReady(1);
    });
    return running != null ? running : created;
  }

  private void terminate(Pod pod, int exitCode, String message, PodCondition condition) {
    String now = now();
    client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
      p.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
      if (condition != null) {
        p.getStatus().getConditions().add(condition);
      }
      String started = p.getStatus().getStartTime() == null ? now : p.getStatus().getStartTime();
      p.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder()
          .withName(CONTAINER).withImage(p.getSpec().getContainers().get(0).getImage()).withImageID("")
          .withReady(false).withRestartCount(0).withStarted(false)
          .withNewState().withNewTerminated()
          .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message)
          .withStartedAt(started).withFinishedAt(now)
          .endTerminated().endState()
          .build()));
      return p;
    });
  }

  /** What the Job controller does with a failed pod, driven by the Job's own spec. */
  private void applyFailurePolicy(Pod pod) {
    Pod failed = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
    Job job = jobOf(failed);
    String action = matchingAction(job, failed).orElse("Count");
    switch (action) {
      case "Ignore" -> {
        editJobStatus(job, FakeJobController::noActivePod);
        startPod(client.resource(job).get());
      }
      case "FailJob" -> {
        editJobStatus(job, j -> {
          noActivePod(j);
          j.getStatus().setFailed(count(j.getStatus().getFailed()) + 1);
          String message = "Container trainer for pod " + namespace + "/" + failed.getMetadata().getName()
              + " failed with exit code " + exitCode(failed) + " matching FailJob rule";
          addCondition(j, "FailureTarget", "PodFailurePolicy", message);
          addCondition(j, "Failed", "PodFailurePolicy", message);
        });
      }
      default -> {
        int failures = count(job.getStatus().getFailed()) + 1;
        boolean exhausted = failures > job.getSpec().getBackoffLimit();
        editJobStatus(job, j -> {
          noActivePod(j);
          j.getStatus().setFailed(failures);
          if (exhausted) {
            addCondition(j, "FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            addCondition(j, "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
          }
        });
        if (!exhausted) {
          startPod(client.resource(job).get());
        }
      }
    }
  }

  /** The first podFailurePolicy rule that matches, as the Job controller evaluates them. */
  private static Optional<String> matchingAction(Job job, Pod pod) {
    if (job.getSpec().getPodFailurePolicy() == null) {
      return Optional.empty();
    }
    for (PodFailurePolicyRule rule : job.getSpec().getPodFailurePolicy().getRules()) {
      if (rule.getOnExitCodes() != null) {
        var req = rule.getOnExitCodes();
        boolean in = req.getValues().contains(exitCode(pod));
        boolean matches = "In".equals(req.getOperator()) ? in : !in;
        if (matches && (req.getContainerName() == null || CONTAINER.equals(req.getContainerName()))) {
          return Optional.of(rule.getAction());
        }
      }
      if (rule.getOnPodConditions() != null && !rule.getOnPodConditions().isEmpty()) {
        boolean matches = rule.getOnPodConditions().stream().anyMatch(pattern ->
            pod.getStatus().getConditions().stream().anyMatch(c ->
                pattern.getType().equals(c.getType()) && pattern.getStatus().equals(c.getStatus())));
        if (matches) {
          return Optional.of(rule.getAction());
        }
      }
    }
    return Optional.empty();
  }

  private static int exitCode(Pod pod) {
    return pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode();
  }

  private Job jobOf(Pod pod) {
    String jobName = pod.getMetadata().getOwnerReferences().get(0).getName();
    return client.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
  }

  private void editJobStatus(Job job, java.util.function.Consumer<Job> change) {
    client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).editStatus(j -> {
      if (j.getStatus() == null) {
        j.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
      }
      change.accept(j);
      return j;
    });
  }

  private static void noActivePod(Job job) {
    job.getStatus().setActive(0);
    job.getStatus().setReady(0);
  }

  private static void addCondition(Job job, String type, String reason, String message) {
    String now = now();
    JobCondition c = new JobConditionBuilder().withType(type).withStatus("True").withReason(reason)
        .withMessage(message).withLastProbeTime(now).withLastTransitionTime(now).build();
    job.getStatus().getConditions().add(c);
  }

  /**
   * What the TTL-after-finished controller and garbage collection do: a finished Job whose {@code
   * ttlSecondsAfterFinished} has passed since its completion is deleted, and its pods with it.
   *
   * @param later how far ahead of the real clock the TTL controller's clock runs (a benchmark
   *     that cannot wait an hour lets that hour pass at once)
   * @return the Jobs deleted
   */
  public synchronized int expireFinishedJobs(java.time.Duration later) {
    int expired = 0;
    Instant now = Instant.now().plus(later);
    for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
      Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
      if (ttl == null || !isFinished(job)) {
        continue;
      }
      // The controller counts from the Complete or Failed condition's transition.
      Instant finished = job.getStatus().getConditions().stream()
          .filter(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()))
          .map(c -> Instant.parse(c.getLastTransitionTime()))
          .findFirst().orElse(now);
      if (!now.isBefore(finished.plusSeconds(ttl))) {
        podsOf(job).forEach(p -> client.resource(p).withGracePeriod(0).delete());
        client.resource(job).delete();
        expired++;
      }
    }
    return expired;
  }

  public static boolean isFinished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c ->
            ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  private static boolean isTerminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static int count(Integer i) {
    return i == null ? 0 : i;
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
