package io.scalesweep.trainer.train;

import io.scalesweep.api.contract.StorageLayout;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The checkpoints of one trial under {@code checkpoints/step-N/} (pretraining) or {@code
 * finetune/checkpoints/step-N/} (fine-tuning). A checkpoint counts only when its
 * manifest, written after every other file, exists and every file still has the size and SHA-256 it
 * lists: a run killed while writing, or a file damaged later, is never taken for complete, and
 * resuming falls back to the newest checkpoint that is.
 */
public final class CheckpointStore {

  private static final Logger LOG = Logger.getLogger(CheckpointStore.class);
  private static final String PRETRAINING = StorageLayout.CHECKPOINTS_DIR + "/";
  private static final String FINETUNING =
      StorageLayout.FINETUNE_DIR + "/" + StorageLayout.CHECKPOINTS_DIR + "/";

  private final TrialOutput output;
  private final String root;

  /** Pretraining's checkpoints. */
  public CheckpointStore(TrialOutput output) {
    this(output, PRETRAINING);
  }

  private CheckpointStore(TrialOutput output, String root) {
    this.output = output;
    this.root = root;
  }

  /** Fine-tuning's checkpoints, in a folder of their own so that neither phase sees the other's. */
  public static CheckpointStore finetuning(TrialOutput output) {
    return new CheckpointStore(output, FINETUNING);
  }

  /** Writes the files in order, then the manifest that makes the checkpoint count. */
  public Checkpoint save(long step, Map<String, TrialOutput.Content> files) throws IOException {
    String folder = folder(step);
    // A manifest left from an earlier save of this step must not vouch for the new files.
    output.deleteAll(folder + StorageLayout.CHECKPOINT_MANIFEST);
    List<CheckpointManifest.FileEntry> entries = new ArrayList<>();
    for (Map.Entry<String, TrialOutput.Content> file : files.entrySet()) {
      String name = file.getKey();
      if (name.equals(StorageLayout.CHECKPOINT_MANIFEST) || name.contains("/")) {
        throw new IllegalArgumentException("bad checkpoint file name " + name);
      }
      MessageDigest digest = sha256();
      long[] size = new long[1];
      output.put(
          folder + name, out -> file.getValue().writeTo(new HashingStream(out, digest, size)));
      entries.add(new CheckpointManifest.FileEntry(name, size[0], hex(digest)));
    }
    CheckpointManifest manifest = new CheckpointManifest(step, entries);
    output.put(folder + StorageLayout.CHECKPOINT_MANIFEST, manifest.toJson());
    return new Checkpoint(step, folder, manifest, output);
  }

  /** Steps that have a checkpoint folder, complete or not, oldest first. */
  public List<Long> steps() throws IOException {
    TreeSet<Long> steps = new TreeSet<>();
    for (String name : output.list(root)) {
      String rest = name.substring(root.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && rest.startsWith(StorageLayout.CHECKPOINT_PREFIX)) {
        try {
          steps.add(
              Long.parseLong(rest.substring(StorageLayout.CHECKPOINT_PREFIX.length(), slash)));
        } catch (NumberFormatException e) {
          // not one of ours (step-final, step-x): ignore rather than fail the resume
        }
      }
    }
    return new ArrayList<>(steps);
  }

  /** The newest checkpoint that verifies; incomplete or damaged newer ones are skipped. */
  public Optional<Checkpoint> latestComplete() throws IOException {
    List<Long> steps = steps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      long step = steps.get(i);
      Optional<String> problem = verify(step);
      if (problem.isEmpty()) {
        return Optional.of(load(step));
      }
      LOG.warnf(
          "checkpoint %s is not complete, skipping it: %s",
          output.locate(folder(step)), problem.get());
    }
    return Optional.empty();
  }

  /**
   * Why the checkpoint of {@code step} cannot be used, or empty when it is complete: manifest
   * present and readable, every listed file present with the listed size and hash.
   */
  public Optional<String> verify(long step) throws IOException {
    String folder = folder(step);
    String manifestName = folder + StorageLayout.CHECKPOINT_MANIFEST;
    if (!output.exists(manifestName)) {
      return Optional.of(
          "no "
              + StorageLayout.CHECKPOINT_MANIFEST
              + " (written last, so the save did not finish)");
    }
    CheckpointManifest manifest;
    try {
      manifest = CheckpointManifest.fromJson(output.readAll(manifestName));
    } catch (IOException e) {
      return Optional.of("unreadable manifest: " + e.getMessage());
    }
    if (manifest.step() != step) {
      return Optional.of("manifest says step " + manifest.step());
    }
    for (CheckpointManifest.FileEntry file : manifest.files()) {
      String name = folder + file.name();
      if (!output.exists(name)) {
        return Optional.of(file.name() + " is missing");
      }
      long size = output.size(name);
      if (size != file.size()) {
        return Optional.of(
            file.name() + " has " + size + " bytes, the manifest says " + file.size());
      }
      String hash = hashOf(name);
      if (!hash.equals(file.sha256())) {
        return Optional.of(file.name() + " does not match its SHA-256 in the manifest");
      }
    }
    return Optional.empty();
  }

  /** Removes a checkpoint, manifest first so that a half-removed one never looks complete. */
  public void delete(long step) throws IOException {
    String folder = folder(step);
    output.deleteAll(folder + StorageLayout.CHECKPOINT_MANIFEST);
    output.deleteAll(folder);
  }

  private Checkpoint load(long step) throws IOException {
    String folder = folder(step);
    CheckpointManifest manifest =
        CheckpointManifest.fromJson(output.readAll(folder + StorageLayout.CHECKPOINT_MANIFEST));
    return new Checkpoint(step, folder, manifest, output);
  }

  private String hashOf(String name) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new DigestInputStream(output.get(name), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return hex(digest);
  }

  String folder(long step) {
    return root + StorageLayout.CHECKPOINT_PREFIX + step + "/";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A complete checkpoint, its files readable by name. */
  public record Checkpoint(
      long step, String folder, CheckpointManifest manifest, TrialOutput output) {

    public InputStream open(String file) throws IOException {
      return output.get(folder + file);
    }

    public byte[] read(String file) throws IOException {
      return output.readAll(folder + file);
    }
  }

  /** Hashes and counts what passes through, without buffering it. */
  private static final class HashingStream extends FilterOutputStream {

    private final MessageDigest digest;
    private final long[] size;

    HashingStream(OutputStream out, MessageDigest digest, long[] size) {
      super(out);
      this.digest = digest;
      this.size = size;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      size[0]++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      size[0] += len;
    }
  }
}
