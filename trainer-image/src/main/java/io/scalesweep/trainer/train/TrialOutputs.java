package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Opens the trial output a {@code --output} URI names. */
public final class TrialOutputs {

  private TrialOutputs() {}

  /**
   * A local folder (plain path or {@code file://} URI), or object storage ({@code s3://bucket/prefix/},
   * endpoint, region and credentials from the environment as {@link TrainerContract} names them).
   *
   * @throws InvalidSpecException naming {@code --output} when the URI cannot be used
   */
  public static TrialOutput open(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new InvalidSpecException(TrainerContract.OPT_OUTPUT, "--output is required");
    }
    if (uri.startsWith("file:")) {
      try {
        return new LocalTrialOutput(Paths.get(URI.create(uri)));
      } catch (IllegalArgumentException e) {
        throw new InvalidSpecException(
            TrainerContract.OPT_OUTPUT,
            "--output " + uri + ": not a file URI (" + e.getMessage() + ")");
      }
    }
    if (uri.startsWith("s3://")) {
      try {
        return new ObjectStoreTrialOutput(ObjectStores.open(uri, StorageOptions.fromEnvironment()));
      } catch (IllegalArgumentException e) {
        throw new InvalidSpecException(TrainerContract.OPT_OUTPUT, "--output " + uri + ": " + e.getMessage());
      }
    }
    if (uri.contains("://")) {
      throw new InvalidSpecException(
          TrainerContract.OPT_OUTPUT,
          "--output " + uri + ": use a local folder, a file:// URI or an s3:// URI");
    }
    return new LocalTrialOutput(Path.of(uri));
  }
}
