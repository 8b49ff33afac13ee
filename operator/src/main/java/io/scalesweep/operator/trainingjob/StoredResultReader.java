package io.scalesweep.operator.trainingjob;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.operator.common.Json;
import io.scalesweep.operator.storage.SharedStores;
import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The {@code result.json} a trainer wrote to the trial's folder before it exited, read when the
 * Job completed but no pod carries the result any more: its pod was deleted before the operator
 * read the termination message (its node was lost and the pod garbage collector removed it while
 * the operator was restarting, or someone deleted it). Read once per trial, when it finishes.
 */
final class StoredResultReader {

  private static final Logger LOG = Logger.getLogger(StoredResultReader.class);

  private final SharedStores stores;

  StoredResultReader(SharedStores stores) {
    this.stores = stores;
  }

  /** The stored result, or empty when there is none or storage cannot be read (logged). */
  Optional<TrialResult> read(KubernetesClient client, TrainingJob trial, Instant now) {
    String uri = TrialPodTemplate.outputUri(trial) + StorageLayout.RESULT_FILE;
    try {
      ObjectStore store = stores.get(client, trial.getMetadata().getNamespace(), TrialPodTemplate.storage(trial), now);
      return Optional.of(Json.MAPPER.readValue(store.get(store.keyOf(uri)), TrialResult.class));
    } catch (ObjectNotFoundException e) {
      LOG.infof("%s/%s: its Job completed without a result in a pod or at %s",
          trial.getMetadata().getNamespace(), trial.getMetadata().getName(), uri);
      return Optional.empty();
    } catch (Exception e) {
      LOG.warnf("%s/%s: its pod's result is gone and %s could not be read: %s",
          trial.getMetadata().getNamespace(), trial.getMetadata().getName(), uri, e.toString());
      return Optional.empty();
    }
  }
}
