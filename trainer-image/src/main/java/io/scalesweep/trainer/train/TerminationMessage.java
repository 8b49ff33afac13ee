package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The trial's result as the container's termination message, which the operator reads from the pod
 * status: no sidecar, no log scraping. Outside a pod there is no such file, and that is fine.
 */
public final class TerminationMessage {

  private static final Logger LOG = Logger.getLogger(TerminationMessage.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TerminationMessage() {}

  /**
   * The result as compact JSON of at most {@link TrainerContract#TERMINATION_MESSAGE_MAX_BYTES}.
   */
  public static byte[] json(TrialResult result) throws IOException {
    byte[] json = JSON.writeValueAsBytes(result);
    if (json.length <= TrainerContract.TERMINATION_MESSAGE_MAX_BYTES) {
      return json;
    }
    // Only the per-task scores can grow without bound; the operator can read them from result.json.
    TrialResult trimmed = JSON.readValue(json, TrialResult.class);
    trimmed.setDownstream(null);
    trimmed.setDownstreamBest(null);
    trimmed.setDownstreamByDifficulty(null);
    return JSON.writeValueAsBytes(trimmed);
  }

  /**
   * Writes to {@link TrainerContract#ENV_TERMINATION_LOG} when set (created if need be), else to
   * {@link TrainerContract#TERMINATION_LOG} when it exists, as the kubelet makes it in a pod; skips
   * quietly when the file cannot be written.
   *
   * @return where it was written, or null
   */
  public static Path write(TrialResult result) throws IOException {
    String override = System.getenv(TrainerContract.ENV_TERMINATION_LOG);
    boolean overridden = override != null && !override.isBlank();
    Path target = Path.of(overridden ? override : TrainerContract.TERMINATION_LOG);
    if (!overridden && !Files.isRegularFile(target)) {
      LOG.debugf("no termination log at %s; not in a pod", target);
      return null;
    }
    try {
      Files.write(target, json(result));
      return target;
    } catch (IOException e) {
      LOG.debugf("cannot write the termination log %s: %s", target, e.getMessage());
      return null;
    }
  }
}
