package io.scalesweep.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code owner.json}: which sweep a folder in storage belongs to. The operator writes one in a
 * sweep's folder before it writes, prunes or deletes anything there; the trainer writes one in its
 * trial's folder before its first checkpoint. Each refuses a folder whose marker names another UID,
 * so a sweep created again under an old name, or a second cluster on the same bucket, never
 * resumes from, returns, overwrites or deletes what another sweep wrote.
 *
 * @param uid the owning sweep's {@code metadata.uid} (a TrainingJob's own when it has no sweep)
 * @param namespace where the owner lives, for messages
 * @param name the owner's name, for messages
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageOwner(String uid, String namespace, String name) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @throws IOException when it is not an owner marker */
  public static StorageOwner fromJson(byte[] json) throws IOException {
    StorageOwner owner = JSON.readValue(json, StorageOwner.class);
    if (owner.uid() == null || owner.uid().isBlank()) {
      throw new IOException("owner marker without a uid");
    }
    return owner;
  }

  /** {@code namespace/name (uid ...)}, for messages. */
  public String describe() {
    String where = namespace == null ? name : namespace + "/" + name;
    return where + " (uid " + uid + ")";
  }
}
