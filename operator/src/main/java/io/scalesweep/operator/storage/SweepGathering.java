package io.scalesweep.operator.storage;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.StorageOwner;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.common.Hashes;
import io.scalesweep.operator.common.Conditions.Wanted;
import io.scalesweep.storage.ObjectStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gathers a sweep into object storage: claims its folder ({@link SweepOwnership}) before anything
 * else, prunes the checkpoints of succeeded trials as {@code keepCheckpoints} says and writes
 * {@code <storage>/<namespace>/<sweep>/catalog.json} when its content changed. A folder that
 * belongs to another sweep is left untouched and said so in the {@link #STORAGE_OWNED}
 * condition. What was done is remembered per sweep in memory, so an idle sweep costs no storage
 * request; a restarted operator redoes it once, which is harmless as every step is idempotent.
 */
public final class SweepGathering {

  /** Sweep condition: whether the catalog in storage is up to date. */
  public static final String CATALOG_WRITTEN = "CatalogWritten";
  public static final String REASON_WRITTEN = "Written";
  public static final String REASON_STORAGE_ERROR = "StorageError";
  /** Sweep condition: whether the sweep's folder in storage is its own. */
  public static final String STORAGE_OWNED = "StorageOwned";
  public static final String REASON_CLAIMED = "Claimed";
  public static final String REASON_OWNED_BY_ANOTHER = "OwnedByAnotherSweep";
  static final Duration DEFAULT_RETRY = Duration.ofSeconds(30);

  private static final Logger LOG = Logger.getLogger(SweepGathering.class);
  private static final int MAX_ERROR_LENGTH = 300;

  /** What a reconciliation should put in the sweep's status, and when to come back. */
  public record Gathered(String catalogUri, List<Wanted> conditions, Optional<Duration> retryAfter) {}

  private record Pruned(KeepCheckpoints policy, boolean onFrontier, String keptUri) {}

  /** Per sweep UID; JOSDK never reconciles one sweep on two threads at once. */
  private static final class State {
    final Map<String, Pruned> pruned = new ConcurrentHashMap<>();
    String writtenHash;
    String catalogUri;
    Wanted owned;
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
    if (storage.isEmpty()) {
      return new Gathered(previousCatalogUri, List.of(), Optional.empty());
    }
    StorageSpec spec = storage.get();
    String namespace = sweep.getMetadata().getNamespace();
    String name = sweep.getMetadata().getName();
    String catalogUri = StorageLayout.catalogUri(spec.getUri(), namespace, name);
    State state = states.computeIfAbsent(sweep.getMetadata().getUid(), uid -> new State());
    if (state.catalogUri == null) {
      state.catalogUri = previousCatalogUri;
    }
    if (state.retryAt != null && now.isBefore(state.retryAt)) {
      return gathered(state, Optional.of(Duration.between(now, state.retryAt)));
    }
    ObjectStore store = null;
    try {
      if (state.owned == null || !state.owned.status()) {
        store = SweepStorage.open(client, namespace, spec);
        Optional<StorageOwner> other = SweepOwnership.claim(store, sweep);
        String folder = SweepObjects.sweepUri(sweep);
        if (other.isPresent()) {
          state.owned = Wanted.of(STORAGE_OWNED, false, REASON_OWNED_BY_ANOTHER,
              folder + " belongs to another sweep, " + other.get().describe() + " (" + StorageLayout.OWNER_FILE
                  + "): this sweep launches no trial and writes, prunes and deletes nothing there. Delete that"
                  + " folder if its results are no longer wanted, or set spec.storage.uri to another root.");
          state.retryAt = now.plus(retry);
          return gathered(state, Optional.of(retry));
        }
        state.owned = Wanted.of(STORAGE_OWNED, true, REASON_CLAIMED, folder + " is this sweep's");
      }
      if (!trainingJobs.isEmpty()) {
        store = writeCatalog(sweep, spec, order, trainingJobs, state, store, client, catalogUri, now);
      }
      state.retryAt = null;
      return gathered(state, Optional.empty());
    } catch (IOException | RuntimeException e) {
      // the store's own message can carry a response body: only its first line, bounded
      String message = "could not update " + catalogUri + ": " + bounded(e.getMessage());
      LOG.warnf("sweep %s/%s: %s; retrying in %s", namespace, name, message, retry);
      state.retryAt = now.plus(retry);
      state.last = Wanted.of(CATALOG_WRITTEN, false, REASON_STORAGE_ERROR, message);
      if (state.owned == null) {
        state.owned = Wanted.of(STORAGE_OWNED, false, REASON_STORAGE_ERROR,
            "could not read " + SweepObjects.sweepUri(sweep) + StorageLayout.OWNER_FILE + " yet");
      }
      return gathered(state, Optional.of(retry));
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  /** Prunes succeeded trials and writes the catalog when it changed; returns the store it opened. */
  private static ObjectStore writeCatalog(ScalingSweep sweep, StorageSpec spec, List<String> order,
      Collection<TrainingJob> trainingJobs, State state, ObjectStore opened, KubernetesClient client,
      String catalogUri, Instant now) throws IOException {
    ObjectStore store = opened;
    String namespace = sweep.getMetadata().getNamespace();
    String name = sweep.getMetadata().getName();
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
        store = store != null ? store : SweepStorage.open(client, namespace, spec);
        String kept = CheckpointPruner.prune(store, SweepObjects.trialKey(sweep, e.name()), spec.getKeepCheckpoints(), onFrontier);
        done = new Pruned(spec.getKeepCheckpoints(), onFrontier, kept);
        state.pruned.put(e.name(), done);
      }
      entries.add(e.withCheckpointUri(done.keptUri()));
    }
    SweepCatalog catalog = new SweepCatalog(name, null, entries, marked.pareto(), marked.fits());
    String hash = Hashes.sha256(catalog.toJson());
    if (!hash.equals(state.writtenHash)) {
      store = store != null ? store : SweepStorage.open(client, namespace, spec);
      SweepCatalog stamped = new SweepCatalog(name, Conditions.timestamp(now), entries, catalog.pareto(), catalog.fits());
      // put is atomic: readers see the previous catalog or this one, never a part
      store.put(SweepObjects.catalogKey(sweep), stamped.toJson());
      state.writtenHash = hash;
      state.catalogUri = catalogUri;
      state.last = Wanted.of(CATALOG_WRITTEN, true, REASON_WRITTEN, entries.size() + " trials in " + catalogUri);
    }
    return store;
  }

  private static Gathered gathered(State state, Optional<Duration> retryAfter) {
    List<Wanted> conditions = new ArrayList<>(2);
    if (state.owned != null) {
      conditions.add(state.owned);
    }
    if (state.last != null) {
      conditions.add(state.last);
    }
    return new Gathered(state.catalogUri, conditions, retryAfter);
  }

  /** Drops what is remembered of every sweep whose UID is not in {@code live}. */
  public void retainOnly(Set<String> live) {
    states.keySet().retainAll(live);
  }

  private static String bounded(String message) {
    String m = message == null ? "unknown error" : message.lines().findFirst().orElse("unknown error");
    return m.length() <= MAX_ERROR_LENGTH ? m : m.substring(0, MAX_ERROR_LENGTH) + "...";
  }
}
