package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.StorageOwner;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.io.IOException;

/**
 * The trial folder's {@code owner.json}, settled before the trial reads or writes anything there:
 * written on the first start, checked on every later one. A folder written for another UID (a
 * sweep deleted and created again under the same name, another cluster on the same bucket) is
 * refused, so the trial neither resumes from nor returns nor overwrites another sweep's work.
 */
final class TrialOwnership {

  private TrialOwnership() {}

  /**
   * @param uid the owner the operator gave ({@code SCALESWEEP_OWNER_UID}); null or blank: no check
   * @throws InvalidSpecException naming {@code --output} when the folder is another owner's
   */
  static void settle(TrialOutput output, String uid, TrainingJob job) throws IOException {
    if (uid == null || uid.isBlank()) {
      return;
    }
    if (!output.exists(StorageLayout.OWNER_FILE)) {
      String sweep = job.getSpec().getSweep();
      String name = sweep == null || sweep.isBlank() ? job.getMetadata().getName() : sweep;
      output.put(
          StorageLayout.OWNER_FILE,
          new StorageOwner(uid, job.getMetadata().getNamespace(), name).toJson());
      return;
    }
    String owner;
    try {
      StorageOwner found = StorageOwner.fromJson(output.readAll(StorageLayout.OWNER_FILE));
      if (found.uid().equals(uid)) {
        return;
      }
      owner = "another owner, " + found.describe();
    } catch (IOException e) {
      owner = "an owner marker this trainer cannot read";
    }
    throw new InvalidSpecException(
        "--output",
        output.locate(StorageLayout.OWNER_FILE) + ": this folder holds the work of " + owner
            + ", not of uid " + uid
            + ": nothing there was read or changed. Delete that folder if its results are no"
            + " longer wanted, or give the sweep another spec.storage.uri");
  }
}
