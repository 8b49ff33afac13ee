package io.scalesweep.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.List;

/**
 * The last file of a checkpoint: which files belong to it, with their sizes and SHA-256. Its
 * presence says the checkpoint was written to the end; its hashes say nothing changed since.
 *
 * @param step optimizer steps completed when the checkpoint was taken
 * @param files every other file of the checkpoint, by name relative to the checkpoint folder
 */
public record CheckpointManifest(long step, List<FileEntry> files) {

  /** One file of a checkpoint. */
  public record FileEntry(String name, long size, String sha256) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public CheckpointManifest {
    files = List.copyOf(files);
  }

  public byte[] toJson() throws IOException {
    return JSON.writeValueAsBytes(this);
  }

  public static CheckpointManifest fromJson(byte[] json) throws IOException {
    CheckpointManifest manifest = JSON.readValue(json, CheckpointManifest.class);
    if (manifest.files() == null) {
      throw new IOException("manifest lists no files");
    }
    return manifest;
  }
}
