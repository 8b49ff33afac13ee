package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.contract.TrainerContract;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Opens the trial output a {@code --output} URI names. */
public final class TrialOutputs {

  private TrialOutputs() {}

  /**
   * A local folder (plain path or {@code file://} URI). Object-store URIs are refused until the
   * storage module provides a {@link TrialOutput} for them.
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
    if (uri.contains("://")) {
      throw new InvalidSpecException(
          TrainerContract.OPT_OUTPUT,
          "--output " + uri + ": only local folders and file:// URIs are supported by this build");
    }
    return new LocalTrialOutput(Path.of(uri));
  }
}
