package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Why a Job has no pod: the Job controller reports a pod it could not create (a ResourceQuota, an
 * admission webhook or policy refused it) only as a {@code FailedCreate} Event on the Job, never
 * in the Job's status. The operator lists those Events by field selector for the few Jobs that
 * should have a pod and have none, instead of watching every Event of the cluster.
 */
final class JobFailedCreate {

  static final String REASON = "FailedCreate";
  /** A pod usually exists within a second or two of its Job; only then is its absence news. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private JobFailedCreate() {}

  /** Whether this Job should have a pod by now and has none: then its Events are worth a look. */
  static boolean worthLooking(Optional<Job> job, Collection<Pod> pods, Instant now) {
    if (job.isEmpty() || !pods.isEmpty() || JobStates.isSuspended(job.get())
        || JobStates.condition(job.get(), "Complete").isPresent() || JobStates.condition(job.get(), "Failed").isPresent()) {
      return false;
    }
    String created = job.get().getMetadata().getCreationTimestamp();
    return created != null && !now.isBefore(Instant.parse(created).plus(GRACE));
  }

  /** The newest FailedCreate Event of the Job, as a waiting reason. */
  static Optional<TrialPods.Waiting> find(KubernetesClient client, Job job) {
    return client.v1().events().inNamespace(job.getMetadata().getNamespace())
        .withField("involvedObject.uid", job.getMetadata().getUid())
        .withField("reason", REASON)
        .list().getItems().stream()
        .max(Comparator.comparing(JobFailedCreate::time))
        .map(e -> new TrialPods.Waiting(REASON, "Job " + job.getMetadata().getName() + " cannot create its pod: " + e.getMessage()));
  }

  private static String time(Event e) {
    if (e.getLastTimestamp() != null) {
      return e.getLastTimestamp();
    }
    return e.getEventTime() != null && e.getEventTime().getTime() != null ? e.getEventTime().getTime() : "";
  }
}
