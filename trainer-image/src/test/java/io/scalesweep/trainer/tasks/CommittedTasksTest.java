package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.TaskSpec;
import io.scalesweep.trainer.data.LocalCorpusStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tasks committed under {@code examples/data/tasks} must be exactly what the generator
 * writes, and the recipe in their README must load them. To accept a change to the generator,
 * regenerate: {@code ./mvnw -pl trainer-image -am test -Dtest=CommittedTasksTest
 * -Dtasks.update=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CommittedTasksTest {

  private static final Path EXAMPLES =
      Path.of(System.getProperty("scalesweep.examples.dir", "../examples"));
  private static final Path TASKS = EXAMPLES.resolve("data/tasks");
  private static final List<String> SPLITS = List.of("train", "validation");

  @Test
  void committedFilesAreAFreshGeneration() throws IOException {
    if (Boolean.getBoolean("tasks.update")) {
      SyntheticTasks.main(new String[] {TASKS.toString()});
    }
    long bytes = 0;
    for (String name : SyntheticTasks.names()) {
      SyntheticTasks.Splits fresh =
          SyntheticTasks.generate(
              name, SyntheticTasks.SEED, SyntheticTasks.TRAIN_EXAMPLES,
              SyntheticTasks.VALIDATION_EXAMPLES);
      for (String split : SPLITS) {
        Path file = TASKS.resolve(name).resolve(split + ".jsonl");
        List<String> lines = split.equals("train") ? fresh.train() : fresh.validation();
        assertThat(file).as("committed %s", file).exists();
        assertThat(Files.readString(file))
            .as("%s drifted from the generator; regenerate with -Dtasks.update=true", file)
            .isEqualTo(String.join("\n", lines) + "\n");
        bytes += Files.size(file);
      }
    }
    assertThat(bytes).as("the shipped tasks stay small in the repository").isLessThan(800_000);
    try (Stream<Path> entries = Files.list(TASKS)) {
      assertThat(entries.map(p -> p.getFileName().toString()).sorted())
          .as("no stale task folders")
          .containsExactlyElementsOf(
              Stream.concat(SyntheticTasks.names().stream(), Stream.of("README.md")).sorted()
                  .toList());
    }
  }

  @Test
  void theRecipeInTheReadmeLoadsTheCommittedTasksAndFitsItsLengths() throws IOException {
    FinetuneSpec finetune = readmeRecipe();
    for (TaskSpec spec : finetune.getTasks()) {
      // The README's paths are relative to a manifest in examples/, as the quickstart's.
      spec.getTrain().setUri(EXAMPLES.resolve(spec.getTrain().getUri()).toString());
      spec.getValidation().setUri(EXAMPLES.resolve(spec.getValidation().getUri()).toString());
    }
    List<Task> tasks = new TaskLoader(new LocalCorpusStore()).load(finetune);
    int inputLength = finetune.getInputLength();
    int targetLength = finetune.getTargetLength();
    assertThat(tasks).extracting(Task::name).containsExactlyElementsOf(SyntheticTasks.names());
    for (Task task : tasks) {
      assertThat(task.train()).hasSize(SyntheticTasks.TRAIN_EXAMPLES);
      assertThat(task.validation()).hasSize(SyntheticTasks.VALIDATION_EXAMPLES);
      // Byte-level tokens, plus the EOS the fine-tuning loop appends.
      List<TextExample> all =
          Stream.concat(task.train().stream(), task.validation().stream()).toList();
      for (TextExample e : all) {
        assertThat(bytes(e.input()) + 1).as(e.input()).isLessThanOrEqualTo(inputLength);
        assertThat(bytes(e.target()) + 1).as(e.target()).isLessThanOrEqualTo(targetLength);
      }
      List<String> right = task.validation().stream().map(TextExample::target).toList();
      assertThat(task.score(right)).as("%s scores its own answers", task.name()).isEqualTo(100.0);
    }
  }

  private static FinetuneSpec readmeRecipe() throws IOException {
    String readme = Files.readString(TASKS.resolve("README.md"));
    int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
    String yaml = readme.substring(start, readme.indexOf("```", start));
    ObjectMapper mapper =
        new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    return mapper.treeToValue(mapper.readTree(yaml).get("finetune"), FinetuneSpec.class);
  }

  private static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
