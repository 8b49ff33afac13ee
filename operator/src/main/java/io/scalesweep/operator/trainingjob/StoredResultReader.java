package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.storage.SharedStores;
import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The {@code result.json} a trainer wrote to the trial's folder before it exited, read when the
 * Job completed but no pod carries the result any more: its pod was deleted before the operator
 * read the termination message (its node was lost and the pod garbage collector removed it while
 * the operator was restarting, or someone deleted it). Read once per trial, when it finishes, and
 * again while storage does not answer: an outage must not turn a trained trial into one without a
 * result for good.
 */
final class StoredResultReader {

  private static final Logger LOG = Logger.getLogger(StoredResultReader.class);

  private final SharedStores stores;

  StoredResultReader(SharedStores stores) {
    this.stores = stores;
  }

  /** The stored result; none when the trainer stored none; unreadable when storage did not answer. */
  StoredResult read(KubernetesClient client, TrainingJob trial, Instant now) {
    String uri = TrialPodTemplate.resultUri(trial);
    try {
      ObjectStore store = stores.get(client, trial.getMetadata().getNamespace(), TrialPodTemplate.storage(trial), now);
      return StoredResult.found(Json.MAPPER.readValue(store.get(store.keyOf(uri)), TrialResult.class));
    } catch (ObjectNotFoundException e) {
      LOG.infof("%s/%s: its Job completed without a result in a pod or at %s",
          trial.getMetadata().getNamespace(), trial.getMetadata().getName(), uri);
      return StoredResult.NONE;
    } catch (Exception e) {
      LOG.warnf("%s/%s: its pod's result is gone and %s could not be read (will read it again): %s",
          trial.getMetadata().getNamespace(), trial.getMetadata().getName(), uri, e.toString());
      return StoredResult.unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }
}
