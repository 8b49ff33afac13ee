package io.scalesweep.trainer.train;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.trainer.data.CorpusStore;
import io.scalesweep.trainer.data.DataException;
import io.scalesweep.trainer.model.HuggingFaceT5Loader;
import io.scalesweep.trainer.model.T5Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Weights a trial fine-tunes instead of its own pretraining ({@code spec.finetune.checkpoint}): a
 * Hugging Face T5 folder, such as a {@code google/t5-efficient-*} download, or one {@code
 * .safetensors} file, on the local disk or in object storage. Remote files are copied to {@code
 * java.io.tmpdir} first, since the reader needs random access.
 */
final class GivenCheckpoint {

  static final String FIELD = "spec.finetune.checkpoint";
  private static final String CONFIG = "config.json";

  private final CorpusStore store;
  private final String uri;

  GivenCheckpoint(CorpusStore store, String uri) {
    this.store = store;
    this.uri = uri;
  }

  /**
   * Before anything expensive: the checkpoint exists, and a {@code config.json} beside it, when
   * there is one, describes the trial's shape.
   *
   * @throws InvalidSpecException naming {@value #FIELD}
   */
  void check(Shape expected) {
    List<String> files = files();
    String config = files.stream().filter(f -> f.endsWith("/" + CONFIG)).findFirst().orElse(null);
    if (config == null) {
      return; // a bare .safetensors file: the strict loader checks every tensor's shape
    }
    Shape found;
    try {
      Path copy = copy(config, Files.createTempFile("scalesweep-", "-" + CONFIG));
      try {
        found = HuggingFaceT5Loader.readShape(copy);
      } finally {
        Files.deleteIfExists(copy);
      }
    } catch (IOException e) {
      throw new InvalidSpecException(FIELD, FIELD + " " + uri + ": " + e.getMessage());
    }
    if (!found.equals(expected)) {
      throw new InvalidSpecException(
          FIELD,
          FIELD + " " + uri + " holds a model of shape " + found + ", but the trial's shape is "
              + expected + "; give each shape its own checkpoint ("
              + FinetuneRecipe.CODE_PLACEHOLDER + " in the URI is the trial's code)");
    }
  }

  /** Loads the weights into the model (strict: every tensor, every shape). */
  void load(T5Model model) throws IOException {
    List<String> files = files();
    if (files.stream().allMatch(f -> Files.isRegularFile(Path.of(f)))) {
      HuggingFaceT5Loader.load(model, Path.of(stripSlash(local())));
      return;
    }
    Path folder = Files.createTempDirectory("scalesweep-checkpoint-");
    try {
      String prefix = uri.endsWith("/") ? uri : files.size() == 1 ? parent(files.get(0)) : uri + "/";
      for (String file : files) {
        if (file.endsWith(".safetensors") || file.endsWith(".json")) {
          Path target = folder.resolve(file.substring(prefix.length()));
          Files.createDirectories(target.getParent());
          copy(file, target);
        }
      }
      HuggingFaceT5Loader.load(model, files.size() == 1 ? onlyFile(folder) : folder);
    } finally {
      deleteTree(folder);
    }
  }

  private List<String> files() {
    try {
      List<String> files = store.list(uri);
      if (files.isEmpty()) {
        throw new DataException("nothing at " + uri);
      }
      return files;
    } catch (DataException | UncheckedIOException e) {
      throw new InvalidSpecException(FIELD, FIELD + ": " + e.getMessage());
    }
  }

  private String local() {
    return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)).toString() : uri;
  }

  private Path copy(String file, Path target) throws IOException {
    try (InputStream in = store.open(file)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static String parent(String file) {
    return file.substring(0, file.lastIndexOf('/') + 1);
  }

  private static Path onlyFile(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).findFirst().orElseThrow();
    }
  }

  private static void deleteTree(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
