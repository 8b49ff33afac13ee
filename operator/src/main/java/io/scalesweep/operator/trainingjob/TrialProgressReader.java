package io.scalesweep.operator.trainingjob;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import io.scalesweep.operator.storage.SharedStores;
import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * A running trial's live progress: the {@code progress.json} its trainer rewrites in the trial's
 * folder, read at most once per {@link #REFRESH} per trial, and once more when the trial ends (so
 * that a finished trial shows its last step). Per running trial and minute that is one small
 * storage GET; the store and its Secret's credentials are shared by the trials of a namespace and
 * storage ({@link SharedStores}). The status patch follows only when the progress changed.
 * Progress is advisory: when storage cannot be read, the last known progress stays.
 */
final class TrialProgressReader {

  /** How often a running trial's progress is read; the reconciler reschedules itself this often. */
  static final Duration REFRESH = Duration.ofSeconds(60);
  /** Until the first report arrives (the pod is starting), a shorter wait, so it shows sooner. */
  static final Duration FIRST_REFRESH = Duration.ofSeconds(15);

  private static final Logger LOG = Logger.getLogger(TrialProgressReader.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Map<ResourceID, Instant> lastRead = new ConcurrentHashMap<>();
  private final SharedStores stores;

  TrialProgressReader(SharedStores stores) {
    this.stores = stores;
  }

  /**
   * The progress the status should show: newly read when it is due, else {@code previous}.
   *
   * @param running whether the trial's pod trains now
   * @param justFinished whether this reconciliation moved the trial to Succeeded or Failed
   */
  TrainingProgress current(
      KubernetesClient client, TrainingJob trial, TrainingProgress previous, boolean running, boolean justFinished, Instant now) {
    ResourceID id = ResourceID.fromResource(trial);
    if (!running && !justFinished) {
      lastRead.remove(id);
      return previous;
    }
    Instant last = lastRead.get(id);
    // A little slack: a rescheduled reconciliation may come a moment before a full interval.
    boolean due = justFinished || last == null || !now.isBefore(last.plus(refreshAfter(previous)).minusSeconds(5));
    if (!due) {
      return previous;
    }
    if (justFinished) {
      lastRead.remove(id);
    } else {
      // Only on a read, not every reconciliation: trials deleted while running never come back
      // to remove their own entry.
      lastRead.values().removeIf(t -> t.isBefore(now.minus(REFRESH.multipliedBy(10))));
      lastRead.put(id, now);
    }
    TrainingProgress read = read(client, trial, now);
    return read == null ? previous : read;
  }

  /** When to look again, given what the status shows now. */
  static Duration refreshAfter(TrainingProgress shown) {
    return shown == null ? FIRST_REFRESH : REFRESH;
  }

  private TrainingProgress read(KubernetesClient client, TrainingJob trial, Instant now) {
    // An invalid spec (no storage, say) has its own condition; here it only means no progress.
    try {
      ObjectStore store = stores.get(client, trial.getMetadata().getNamespace(), TrialPodTemplate.storage(trial), now);
      String key = store.keyOf(TrialPodTemplate.outputUri(trial) + StorageLayout.PROGRESS_FILE);
      return JSON.readValue(store.get(key), TrainingProgress.class);
    } catch (ObjectNotFoundException e) {
      return null; // not written yet: the pod is still starting
    } catch (Exception e) {
      LOG.debugf("no progress for %s/%s: %s", trial.getMetadata().getNamespace(), trial.getMetadata().getName(), e.toString());
      return null;
    }
  }
}
