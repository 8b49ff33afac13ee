package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Conditions.Wanted;
import io.scalesweep.storage.ObjectStore;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gathers a sweep into object storage: prunes the checkpoints of succeeded trials as {@code
 * keepCheckpoints} says and writes {@code <storage>/<sweep>/catalog.json} when its content
 * changed. What was done is remembered per sweep in memory, so an idle sweep costs no storage
 * request; a restarted operator redoes it once, which is harmless as every step is idempotent.
 */
public final class SweepGathering {

  /** Sweep condition: whether the catalog in storage is up to date. */
  public static final String CATALOG_WRITTEN = "CatalogWritten";
  public static final String REASON_WRITTEN = "Written";
  public static final String REASON_STORAGE_ERROR = "StorageError";
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(SweepGathering.class);
  private static final int MAX_ERROR_LENGTH = 300;

  /** What a reconciliation should put in the sweep's status, and when to come back. */
  public record Gathered(String catalogUri, Optional<Wanted> condition, Optional<Duration> retryAfter) {}

  private record Pruned(KeepCheckpoints policy, boolean onFrontier, String keptUri) {}

  /** Per sweep UID; JOSDK never reconciles one sweep on two threads at once. */
  private static final class State {
    final Map<String, Pruned> pruned = new ConcurrentHashMap<>();
    String writtenHash;
    String catalogUri;
    Wanted last;
    Instant retryAt;
  }

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final Duration retry;

  public SweepGathering() {
    this(DEFAULT_RETRY);
  }

  public SweepGathering(Duration retry) {
    this.retry = retry;
  }

  /**
   * @param order trial names in expansion order
   * @param previousCatalogUri the URI in the stored status, kept until a write succeeds
   */
  public Gathered gather(ScalingSweep sweep, List<String> order, Collection<TrainingJob> trainingJobs,
      KubernetesClient client, String previousCatalogUri, Instant now) {
    Optional<StorageSpec> storage = SweepObjects.storage(sweep);
    if (trainingJobs.isEmpty() || storage.isEmpty()) {
      return new Gathered(previousCatalogUri, Optional.empty(), Optional.empty());
    }
    StorageSpec spec = storage.get();
    String name = sweep.getMetadata().getName();
    String catalogUri = StorageLayout.catalogUri(spec.getUri(), name);
    State state = states.computeIfAbsent(sweep.getMetadata().getUid(), uid -> new State());
    if (state.catalogUri == null) {
      state.catalogUri = previousCatalogUri;
    }
    if (state.retryAt != null && now.isBefore(state.retryAt)) {
      return new Gathered(state.catalogUri, Optional.ofNullable(state.last), Optional.of(Duration.between(now, state.retryAt)));
    }
    ObjectStore store = null;
    try {
      SweepCatalog marked = SweepCatalog.of(name, null, CatalogEntries.of(spec.getUri(), name, order, trainingJobs));
      List<CatalogEntry> entries = new ArrayList<>();
      for (CatalogEntry e : marked.trials()) {
        if (e.phase() != TrialPhase.Succeeded) {
          entries.add(e);
          continue;
        }
        boolean onFrontier = e.pareto() != null && !e.pareto().isEmpty();
        Pruned done = state.pruned.get(e.name());
        if (done == null || done.policy() != spec.getKeepCheckpoints() || done.onFrontier() != onFrontier) {
          store = store != null ? store : SweepStorage.open(client, sweep.getMetadata().getNamespace(), spec);
          String kept = CheckpointPruner.prune(store, SweepObjects.trialKey(name, e.name()), spec.getKeepCheckpoints(), onFrontier);
          done = new Pruned(spec.getKeepCheckpoints(), onFrontier, kept);
          state.pruned.put(e.name(), done);
        }
        entries.add(e.withCheckpointUri(done.keptUri()));
      }
      SweepCatalog catalog = new SweepCatalog(name, null, entries, marked.pareto(), marked.fits());
      String hash = sha256(catalog.toJson());
      if (!hash.equals(state.writtenHash)) {
        store = store != null ? store : SweepStorage.open(client, sweep.getMetadata().getNamespace(), spec);
        SweepCatalog stamped = new SweepCatalog(name, Conditions.timestamp(now), entries, catalog.pareto(), catalog.fits());
        // put is atomic: readers see the previous catalog or this one, never a part
        store.put(SweepObjects.catalogKey(name), stamped.toJson());
        state.writtenHash = hash;
        state.catalogUri = catalogUri;
        state.last = Wanted.of(CATALOG_WRITTEN, true, REASON_WRITTEN, entries.size() + " trials in " + catalogUri);
      }
      state.retryAt = null;
      return new Gathered(state.catalogUri, Optional.ofNullable(state.last), Optional.empty());
    } catch (IOException | RuntimeException e) {
      String message = "could not update " + catalogUri + ": " + bounded(e.getMessage());
      LOG.warnf("sweep %s/%s: %s; retrying in %s", sweep.getMetadata().getNamespace(), name, message, retry);
      state.retryAt = now.plus(retry);
      state.last = Wanted.of(CATALOG_WRITTEN, false, REASON_STORAGE_ERROR, message);
      return new Gathered(state.catalogUri, Optional.of(state.last), Optional.of(retry));
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  /** Drops what is remembered of a deleted sweep. */
  public void forget(ScalingSweep sweep) {
    states.remove(sweep.getMetadata().getUid());
  }

  private static String bounded(String message) {
    String m = message == null ? "unknown error" : message;
    return m.length() <= MAX_ERROR_LENGTH ? m : m.substring(0, MAX_ERROR_LENGTH) + "...";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
