package io.scalesweep.trainer.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.scalesweep.trainer.model.HuggingFaceT5Loader;
import io.scalesweep.trainer.model.SafetensorsFile;
import io.scalesweep.trainer.model.T5Model;
import io.scalesweep.trainer.model.T5WeightsWriter;
import io.scalesweep.trainer.optim.StatefulOptimizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a pretraining checkpoint holds and how it goes back into a run: {@code model.safetensors}
 * (Hugging Face T5 names, loadable by transformers), {@code optimizer.safetensors} (the optimizer's
 * own named state) and {@code state.json}. Together with the fixed recipe they determine the rest
 * of the run exactly.
 */
public final class TrainingCheckpoints {

  public static final String MODEL_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String STATE_FILE = "state.json";

  private final CheckpointStore store;

  public TrainingCheckpoints(CheckpointStore store) {
    this.store = store;
  }

  /** Saves a complete checkpoint of step {@code state.step()}. */
  public CheckpointStore.Checkpoint save(
      T5Model model, StatefulOptimizer optimizer, TrainingState state) throws IOException {
    Map<String, TrialOutput.Content> files = new LinkedHashMap<>();
    files.put(MODEL_FILE, out -> T5WeightsWriter.write(model, out));
    files.put(
        OPTIMIZER_FILE,
        out -> {
          try (NDManager scratch = NDManager.newBaseManager()) {
            optimizer.saveState(scratch).encode(out, NDList.Encoding.SAFETENSORS);
          }
        });
    byte[] json = state.toJson();
    files.put(STATE_FILE, out -> out.write(json));
    return store.save(state.step(), files);
  }

  /** The newest complete checkpoint's state, without loading any weights. */
  public Optional<Resumable> latest() throws IOException {
    Optional<CheckpointStore.Checkpoint> checkpoint = store.latestComplete();
    if (checkpoint.isEmpty()) {
      return Optional.empty();
    }
    TrainingState state = TrainingState.fromJson(checkpoint.get().read(STATE_FILE));
    return Optional.of(new Resumable(checkpoint.get(), state));
  }

  /** A complete checkpoint and its state, ready to be loaded into a model and optimizer. */
  public record Resumable(CheckpointStore.Checkpoint checkpoint, TrainingState state) {

    /** Overwrites the model's weights and the optimizer's state with the checkpoint's. */
    public void restore(T5Model model, StatefulOptimizer optimizer) throws IOException {
      Path weights = local(MODEL_FILE);
      try {
        HuggingFaceT5Loader.load(model, weights);
      } finally {
        Files.deleteIfExists(weights);
      }
      Path moments = local(OPTIMIZER_FILE);
      try (SafetensorsFile file = SafetensorsFile.open(moments);
          NDManager scratch = NDManager.newBaseManager()) {
        NDList saved = new NDList();
        for (String name : file.names()) {
          saved.add(file.read(name, scratch));
        }
        optimizer.loadState(saved);
      } finally {
        Files.deleteIfExists(moments);
      }
    }

    /**
     * A local copy of one file: the readers need random access, and the output may be remote. Lives
     * in java.io.tmpdir (the image points it at its scratch volume).
     */
    private Path local(String file) throws IOException {
      Path copy = Files.createTempFile("scalesweep-" + checkpoint.step() + "-", "-" + file);
      try (InputStream in = checkpoint.open(file)) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        Files.deleteIfExists(copy);
        throw e;
      }
      return copy;
    }
  }
}
