package io.scalesweep.api.manifest;

import io.scalesweep.api.v1alpha1.DatasetSpec;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.api.v1alpha1.SplitSpec;
import io.scalesweep.api.v1alpha1.TaskSpec;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Makes the data locations of a manifest read from a file absolute: a corpus, tokenizer or task
 * split given as a relative path is relative to the manifest's folder (as the schema documents),
 * so {@code scalesweep run examples/quickstart.yaml} finds its data from any working directory.
 * URIs with a scheme ({@code s3://}, {@code file://}) and absolute paths are left alone.
 */
final class LocalPaths {

  private LocalPaths() {}

  static void resolve(Object spec, Path manifestDir) {
    if (spec instanceof ScalingSweepSpec s) {
      resolve(s.getPretrain(), manifestDir);
      resolve(s.getFinetune(), manifestDir);
    } else if (spec instanceof TrainingJobSpec t) {
      resolve(t.getPretrain(), manifestDir);
      resolve(t.getFinetune(), manifestDir);
    }
  }

  private static void resolve(PretrainSpec p, Path dir) {
    if (p == null) {
      return;
    }
    resolve(p.getDataset(), dir);
    resolve(p.getValidation(), dir);
    if (p.getTokenizer() != null) {
      rewrite(p.getTokenizer()::getPath, p.getTokenizer()::setPath, dir);
    }
  }

  private static void resolve(DatasetSpec d, Path dir) {
    if (d != null) {
      rewrite(d::getUri, d::setUri, dir);
    }
  }

  private static void resolve(FinetuneSpec f, Path dir) {
    if (f == null) {
      return;
    }
    if (f.getCheckpoint() != null) {
      rewrite(f::getCheckpoint, f::setCheckpoint, dir);
    }
    if (f.getTasks() == null) {
      return;
    }
    for (TaskSpec task : f.getTasks()) {
      for (SplitSpec split : new SplitSpec[] {task.getTrain(), task.getValidation()}) {
        if (split != null) {
          rewrite(split::getUri, split::setUri, dir);
        }
      }
    }
  }

  private static void rewrite(Supplier<String> get, Consumer<String> set, Path dir) {
    String value = get.get();
    if (value != null && !value.isEmpty() && !value.contains("://") && !Path.of(value).isAbsolute()) {
      String resolved = dir.resolve(value).normalize().toString();
      // a trailing '/' says "this folder" and is kept as written; a trailing '*' survives anyway
      set.accept(value.endsWith("/") && !resolved.endsWith("/") ? resolved + "/" : resolved);
    }
  }
}
