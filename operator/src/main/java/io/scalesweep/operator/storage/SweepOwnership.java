package io.scalesweep.operator.storage;

import io.scalesweep.api.contract.StorageOwner;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * A sweep's claim on its folder in storage: {@code owner.json} naming the sweep's UID, written
 * before the operator writes, prunes or deletes anything there. A folder whose marker names
 * another UID belongs to another sweep (one deleted and created again under this name, or one of
 * another cluster on the same bucket) and is left alone.
 */
final class SweepOwnership {

  private SweepOwnership() {}

  /** The marker this sweep writes. */
  static StorageOwner of(ScalingSweep sweep) {
    return new StorageOwner(
        sweep.getMetadata().getUid(), sweep.getMetadata().getNamespace(), sweep.getMetadata().getName());
  }

  /**
   * Claims the folder: writes the marker when there is none.
   *
   * @return empty when the folder is this sweep's; otherwise the other owner, and nothing written
   */
  static Optional<StorageOwner> claim(ObjectStore store, ScalingSweep sweep) throws IOException {
    Optional<StorageOwner> found = read(store, sweep);
    if (found.isEmpty()) {
      store.put(SweepObjects.ownerKey(sweep), of(sweep).toJson());
      return Optional.empty();
    }
    return found.get().uid().equals(sweep.getMetadata().getUid()) ? Optional.empty() : found;
  }

  /** Whether the marker exists and names this sweep; never writes. */
  static boolean isOwnedBy(ObjectStore store, ScalingSweep sweep) throws IOException {
    return read(store, sweep).map(o -> o.uid().equals(sweep.getMetadata().getUid())).orElse(false);
  }

  /**
   * The marker, or empty when there is none. One that cannot be read as a marker counts as another
   * owner's: it is not this operator's to overwrite.
   */
  private static Optional<StorageOwner> read(ObjectStore store, ScalingSweep sweep) throws IOException {
    byte[] bytes;
    try {
      bytes = store.get(SweepObjects.ownerKey(sweep));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(StorageOwner.fromJson(bytes));
    } catch (IOException e) {
      return Optional.of(new StorageOwner("unreadable", null, "an unreadable owner marker"));
    }
  }
}
