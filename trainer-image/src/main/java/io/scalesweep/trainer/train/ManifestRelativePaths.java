package io.scalesweep.trainer.train;

import io.scalesweep.api.v1alpha1.DatasetSpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.nio.file.Path;

/**
 * Resolves the local paths of a trial (datasets, tokenizer) against the folder of the manifest that
 * names them, as the schema promises, so {@code train} works from any working directory.
 */
public final class ManifestRelativePaths {

  private ManifestRelativePaths() {}

  public static void resolve(TrainingJob job, Path manifest) {
    Path folder = manifest.toAbsolutePath().getParent();
    PretrainSpec pretrain = job.getSpec() == null ? null : job.getSpec().getPretrain();
    if (pretrain == null || folder == null) {
      return;
    }
    resolve(pretrain.getDataset(), folder);
    resolve(pretrain.getValidation(), folder);
    if (pretrain.getTokenizer() != null && pretrain.getTokenizer().getPath() != null) {
      pretrain.getTokenizer().setPath(resolve(pretrain.getTokenizer().getPath(), folder));
    }
  }

  private static void resolve(DatasetSpec dataset, Path folder) {
    if (dataset != null && dataset.getUri() != null) {
      dataset.setUri(resolve(dataset.getUri(), folder));
    }
  }

  private static String resolve(String uri, Path folder) {
    if (uri.isBlank() || uri.contains(":") || Path.of(uri).isAbsolute()) {
      return uri;
    }
    // keep a trailing '*' (prefix match) or '/' (folder) as written
    String resolved = folder.resolve(uri).normalize().toString();
    return uri.endsWith("/") && !resolved.endsWith("/") ? resolved + "/" : resolved;
  }
}
