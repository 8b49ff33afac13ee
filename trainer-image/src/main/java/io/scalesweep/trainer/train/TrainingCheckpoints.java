package io.scalesweep.trainer.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * What a training checkpoint holds and how it goes back into a run: {@code model.safetensors}
 * (Hugging Face T5 names, loadable by transformers), {@code optimizer.safetensors} (the optimizer's
 * own named state) and {@code state.json}, whose type {@code S} is the phase's own (pretraining's
 * {@link TrainingState}, fine-tuning's {@code FinetuneState}). Together with the fixed recipe they
 * determine the rest of the run exactly.
 */
public final class TrainingCheckpoints<S extends TrainingCheckpoints.State> {

  /** The {@code state.json} of a phase. */
  public interface State {

    /** Optimizer steps completed, also the checkpoint's number. */
    long step();

    default byte[] toJson() throws IOException {
      return STATE_JSON.writeValueAsBytes(this);
    }
  }

  /**
   * How every phase's {@code state.json} is written and read: indented for people, and lenient to
   * fields a newer trainer added, so an older checkpoint still resumes.
   */
  static final ObjectMapper STATE_JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Reads a phase's {@code state.json}. */
  @FunctionalInterface
  public interface StateReader<S> {
    S read(byte[] json) throws IOException;
  }

  public static final String MODEL_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String STATE_FILE = "state.json";

  private final CheckpointStore store;
  private final StateReader<S> reader;

  public TrainingCheckpoints(CheckpointStore store, StateReader<S> reader) {
    this.store = store;
    this.reader = reader;
  }

  /** Pretraining's checkpoints of a trial. */
  public static TrainingCheckpoints<TrainingState> pretraining(TrialOutput output) {
    return new TrainingCheckpoints<>(new CheckpointStore(output), TrainingState::fromJson);
  }

  /** Saves a complete checkpoint of step {@code state.step()}. */
  public CheckpointStore.Checkpoint save(
      T5Model model, StatefulOptimizer optimizer, S state) throws IOException {
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
  public Optional<Resumable<S>> latest() throws IOException {
    Optional<CheckpointStore.Checkpoint> checkpoint = store.latestComplete();
    if (checkpoint.isEmpty()) {
      return Optional.empty();
    }
    S state = reader.read(checkpoint.get().read(STATE_FILE));
    return Optional.of(new Resumable<>(checkpoint.get(), state));
  }

  /** A complete checkpoint and its state, ready to be loaded into a model and optimizer. */
  public record Resumable<S>(CheckpointStore.Checkpoint checkpoint, S state) {

    /** Overwrites the model's weights and the optimizer's state with the checkpoint's. */
    public void restore(T5Model model, StatefulOptimizer optimizer) throws IOException {
      restoreWeights(model);
      restoreOptimizer(optimizer);
    }

    /**
     * Overwrites the optimizer's state only: the weights went in earlier, before the model's
     * manager was capped.
     */
    public void restoreOptimizer(StatefulOptimizer optimizer) throws IOException {
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

    /** Overwrites the model's weights only: where a new phase starts with a fresh optimizer. */
    public void restoreWeights(T5Model model) throws IOException {
      Path weights = local(MODEL_FILE);
      try {
        HuggingFaceT5Loader.load(model, weights);
      } finally {
        Files.deleteIfExists(weights);
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
