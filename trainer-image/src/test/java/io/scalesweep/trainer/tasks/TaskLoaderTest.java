package io.scalesweep.trainer.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.FinetuneSpec;
import io.scalesweep.api.v1alpha1.Metric;
import io.scalesweep.api.v1alpha1.SplitSpec;
import io.scalesweep.api.v1alpha1.TaskFormat;
import io.scalesweep.api.v1alpha1.TaskSpec;
import io.scalesweep.trainer.data.LocalCorpusStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskLoaderTest {

  @TempDir Path dir;
  private final TaskLoader loader = new TaskLoader(new LocalCorpusStore());

  @Test
  void jsonlRecordsBecomeExamplesThroughTemplatesAndLabelWords() {
    Task task = loadOne(boolq());
    assertThat(task.name()).isEqualTo("boolq");
    assertThat(task.metric()).isEqualTo(Metric.ACCURACY);
    assertThat(task.train()).hasSize(3);
    assertThat(task.train().get(0))
        .isEqualTo(
            new TextExample(
                "boolq question: is a tomato a fruit passage: Botanically, a tomato is the berry "
                    + "of the plant.",
                "True"));
    assertThat(task.train())
        .extracting(TextExample::target)
        .containsExactly("True", "False", "False");
    assertThat(task.validation()).extracting(TextExample::target).containsExactly("True", "False");
    assertThat(task.score(List.of("True", "True"))).isEqualTo(50.0);
  }

  @Test
  void glueTsvHasAHeaderTabsAndNoQuoting() {
    TaskSpec spec = spec("sst2", "tasks/sst2-train.tsv", "tasks/sst2-dev.tsv", Metric.ACCURACY);
    spec.setFormat(TaskFormat.TSV);
    spec.setInputTemplate("sst2 sentence: {sentence}");
    spec.setTargetTemplate("{label}");
    spec.setLabels(Map.of("0", "negative", "1", "positive"));
    Task task = loadOne(spec);
    assertThat(task.train())
        .containsExactly(
            new TextExample("sst2 sentence: an \"utterly\" charming film", "positive"),
            new TextExample("sst2 sentence: the plot drags and never lands", "negative"),
            new TextExample("sst2 sentence: it is 2 hours I will not get back", "negative"));
    assertThat(task.validation()).hasSize(2);
  }

  @Test
  void defaultTemplatesReadInputAndTargetAndGzipIsReadByItsSuffix() throws IOException {
    gzip("train.jsonl.gz", "{\"input\": \"2 + 2\", \"target\": 4}\n");
    write("validation.jsonl", "{\"input\": \"1 + 1\", \"target\": \"2\", \"extra\": [1]}\n");
    TaskSpec spec = new TaskSpec();
    spec.setName("sums");
    spec.setMetric(Metric.EXACT_MATCH);
    spec.setTrain(split(dir.resolve("train.jsonl.gz").toString()));
    spec.setValidation(split(dir.resolve("validation.jsonl").toUri().toString()));
    Task task = loadOne(spec);
    assertThat(task.train()).containsExactly(new TextExample("2 + 2", "4"));
    assertThat(task.validation()).containsExactly(new TextExample("1 + 1", "2"));
  }

  @Test
  void aDifficultyFieldScoresEachLevelApartInNumericOrder() {
    write("train.jsonl", "{\"input\": \"a\", \"target\": \"1\", \"hops\": 1}\n");
    write(
        "validation.jsonl",
        "{\"input\": \"a\", \"target\": \"1\", \"hops\": 10}\n"
            + "{\"input\": \"b\", \"target\": \"2\", \"hops\": 2}\n"
            + "{\"input\": \"c\", \"target\": \"3\", \"hops\": 2}\n"
            + "{\"input\": \"d\", \"target\": \"4\", \"hops\": 10}\n");
    TaskSpec spec = files("chase", Metric.ACCURACY);
    spec.setDifficultyField("hops");
    Task task = loadOne(spec);

    assertThat(task.difficulties()).containsExactly("10", "2", "2", "10");
    Map<String, Double> levels = task.scoreByDifficulty(List.of("1", "2", "0", "0"));
    assertThat(levels).containsExactly(Map.entry("2", 50.0), Map.entry("10", 50.0));
    assertThat(task.scoreByDifficulty(List.of("1", "2", "3", "4")).values()).containsOnly(100.0);
  }

  @Test
  void aValidationRecordWithoutTheDifficultyFieldIsRefusedNamingIt() {
    write("train.jsonl", "{\"input\": \"a\", \"target\": \"1\"}\n");
    write("validation.jsonl", "{\"input\": \"a\", \"target\": \"1\", \"depth\": 2}\n");
    TaskSpec spec = files("chase", Metric.ACCURACY);
    spec.setDifficultyField("hops");

    InvalidSpecException e = error(spec);

    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].difficultyField");
    assertThat(e.getMessage()).contains("no field 'hops'", "depth", "validation.jsonl");
  }

  @Test
  void aListOfAnswersGivesSeveralReferencesWithTheFirstAsTarget() {
    TaskSpec spec = squad("squad", Metric.SQUAD_F1);
    spec.setInputTemplate("question: {question} context: {context}");
    spec.setTargetTemplate("{answers.text}");
    Task task = loadOne(spec);
    TextExample first = task.validation().get(0);
    assertThat(first.input())
        .isEqualTo("question: Where is the tower? context: The tower stands in Paris, France.");
    assertThat(first.target()).isEqualTo("Paris");
    assertThat(first.references()).containsExactly("Paris", "Paris, France");
    // SQuAD 2.0 without answers: the empty answer is the right one.
    assertThat(task.validation().get(1).references()).containsExactly("");
    assertThat(task.score(List.of("Paris, France", ""))).isEqualTo(100.0);
  }

  @Test
  void dottedNamesReachIntoNestedObjectsAndLists() {
    TaskSpec spec = squad("squad1", Metric.ACCURACY);
    spec.setInputTemplate("{question}");
    spec.setTargetTemplate("{answers.text.0}");
    assertThat(error(spec).getMessage())
        .contains("squad-validation.jsonl line 2", "answers.text.0");
    write(
        "one.jsonl",
        "{\"q\": \"x\", \"a\": {\"text\": [\"first\", \"second\"]}, \"a.b\": \"literal\"}\n");
    spec.setTrain(split(dir.resolve("one.jsonl").toString()));
    spec.setValidation(split(dir.resolve("one.jsonl").toString()));
    spec.setInputTemplate("{q} {a.b}");
    spec.setTargetTemplate("{a.text.1}");
    assertThat(loadOne(spec).train()).containsExactly(new TextExample("x literal", "second"));
  }

  @Test
  void duplicateTaskNamesAreRejectedBeforeAnyFileIsRead() {
    FinetuneSpec finetune = finetune(boolq(), spec("other", "x", "y", Metric.ACCURACY), boolq());
    InvalidSpecException e =
        catchThrowableOfType(() -> loader.load(finetune), InvalidSpecException.class);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[2].name");
    assertThat(e.getMessage()).contains("task boolq", "spec.finetune.tasks[0]");
  }

  @Test
  void aMissingMetricNamesTheTaskAndTheField() {
    TaskSpec spec = boolq();
    spec.setMetric(null);
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].metric");
    assertThat(e.getMessage()).contains("task boolq", "is required", "squad_f1");
  }

  @Test
  void aTemplateFieldMissingFromTheFirstRecordListsTheFieldsThereAre() {
    TaskSpec spec = boolq();
    spec.setInputTemplate("boolq question: {question} passage: {pasage}");
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].inputTemplate");
    assertThat(e.getMessage())
        .contains(
            "task boolq", "boolq-train.jsonl line 1", "'pasage'", "question, passage, idx, label");
  }

  @Test
  void aRecordLackingAFieldLaterInTheFileFailsWithItsLine() {
    write("train.jsonl", "{\"input\": \"a\", \"target\": \"b\"}\n\n{\"input\": \"c\"}\n");
    InvalidSpecException e = error(files("t1", Metric.ACCURACY));
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].targetTemplate");
    assertThat(e.getMessage()).contains("task t1", "train file ", "train.jsonl line 3", "'target'");
  }

  @Test
  void anEmptySplitIsAnError() {
    write("train.jsonl", "{\"input\": \"a\", \"target\": \"b\"}\n");
    write("validation.jsonl", "\n\n");
    InvalidSpecException e = error(files("t1", Metric.ACCURACY));
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].validation.uri");
    assertThat(e.getMessage()).contains("task t1", "validation split", "no records");
  }

  @Test
  void aMissingOrUnreadableFileNamesTheSplit() throws IOException {
    InvalidSpecException missing = error(files("t1", Metric.ACCURACY));
    assertThat(missing.field()).isEqualTo("spec.finetune.tasks[0].train.uri");
    assertThat(missing.getMessage()).contains("task t1", "no such file");
    write("train.jsonl.gz", "not gzip at all\n");
    TaskSpec spec = files("t1", Metric.ACCURACY);
    spec.getTrain().setUri(dir.resolve("train.jsonl.gz").toString());
    InvalidSpecException gzip = error(spec);
    assertThat(gzip.field()).isEqualTo("spec.finetune.tasks[0].train.uri");
    assertThat(gzip.getMessage()).contains("train.jsonl.gz is not readable gzip");
  }

  @Test
  void malformedJsonAndNonObjectLinesFailWithTheirLine() {
    write("train.jsonl", "{\"input\": \"a\", \"target\": \"b\"}\n{\"input\": \"a\", \n");
    InvalidSpecException e = error(files("t1", Metric.ACCURACY));
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].train.uri");
    assertThat(e.getMessage())
        .contains("task t1", "train.jsonl line 2 is malformed", "not valid JSON");
    write("train.jsonl", "[\"input\", \"target\"]\n");
    assertThat(error(files("t1", Metric.ACCURACY)).getMessage())
        .contains("line 1 is malformed: a JSON object is expected, found array");
  }

  @Test
  void aTsvRowWithTheWrongNumberOfColumnsFailsWithItsLine() {
    write("train.tsv", "input\ttarget\na\tb\nc\td\te\n");
    write("validation.tsv", "input\ttarget\na\tb\n");
    TaskSpec spec = files("t1", Metric.ACCURACY);
    spec.setFormat(TaskFormat.TSV);
    spec.getTrain().setUri(dir.resolve("train.tsv").toString());
    spec.getValidation().setUri(dir.resolve("validation.tsv").toString());
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].train.uri");
    assertThat(e.getMessage())
        .contains("train.tsv line 3 is malformed", "3 tab-separated columns", "header has 2");
  }

  @Test
  void aLabelValueOutsideTheLabelsMapIsAnError() {
    TaskSpec spec = boolq();
    spec.setLabels(Map.of("1", "True", "0", "False"));
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].labels");
    assertThat(e.getMessage()).contains("task boolq", "line 1", "value 'true'", "[0, 1]");
  }

  @Test
  void aListOfAnswersNeedsAMetricThatScoresSeveral() {
    TaskSpec spec = squad("squad", Metric.ACCURACY);
    spec.setInputTemplate("{question}");
    spec.setTargetTemplate("{answers.text}");
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].targetTemplate");
    assertThat(e.getMessage()).contains("task squad", "list of answers", "{answers.text.0}");
    spec.setInputTemplate("{answers.text}");
    spec.setMetric(Metric.SQUAD_F1);
    assertThat(error(spec).field()).isEqualTo("spec.finetune.tasks[0].inputTemplate");
  }

  @Test
  void anObjectFieldMustBeNarrowedByADottedName() {
    TaskSpec spec = squad("squad", Metric.SQUAD_F1);
    spec.setInputTemplate("{question}");
    spec.setTargetTemplate("{answers}");
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].targetTemplate");
    assertThat(e.getMessage()).contains("'answers' is an object", "{answers.name}");
  }

  @Test
  void badTemplatesAreRejectedBeforeAnyFileIsRead() {
    TaskSpec spec = files("t1", Metric.ACCURACY);
    spec.setInputTemplate("question: {question");
    InvalidSpecException e = error(spec);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[0].inputTemplate");
    assertThat(e.getMessage()).contains("task t1", "unclosed '{'");
    spec.setInputTemplate("{input}");
    spec.setTargetTemplate("True");
    InvalidSpecException constant = error(spec);
    assertThat(constant.field()).isEqualTo("spec.finetune.tasks[0].targetTemplate");
    assertThat(constant.getMessage()).contains("names no {field}");
  }

  @Test
  void errorsNameTheTaskAtItsOwnIndex() {
    TaskSpec broken = boolq();
    broken.setName("boolq2");
    broken.setTargetTemplate("{answer}");
    InvalidSpecException e =
        catchThrowableOfType(
            () -> loader.load(finetune(boolq(), broken)), InvalidSpecException.class);
    assertThat(e.field()).isEqualTo("spec.finetune.tasks[1].targetTemplate");
    assertThat(e.getMessage()).startsWith("task boolq2: spec.finetune.tasks[1].targetTemplate: ");
  }

  private Task loadOne(TaskSpec spec) {
    List<Task> tasks = loader.load(finetune(spec));
    assertThat(tasks).hasSize(1);
    return tasks.get(0);
  }

  private InvalidSpecException error(TaskSpec spec) {
    return catchThrowableOfType(() -> loader.load(finetune(spec)), InvalidSpecException.class);
  }

  private static FinetuneSpec finetune(TaskSpec... tasks) {
    FinetuneSpec finetune = new FinetuneSpec();
    finetune.setTasks(List.of(tasks));
    return finetune;
  }

  private static TaskSpec boolq() {
    TaskSpec spec =
        spec("boolq", "tasks/boolq-train.jsonl", "tasks/boolq-validation.jsonl", Metric.ACCURACY);
    spec.setInputTemplate("boolq question: {question} passage: {passage}");
    spec.setTargetTemplate("{label}");
    spec.setLabels(Map.of("true", "True", "false", "False"));
    return spec;
  }

  /** SQuAD-like records, the same file for both splits. */
  private static TaskSpec squad(String name, Metric metric) {
    return spec(name, "tasks/squad-validation.jsonl", "tasks/squad-validation.jsonl", metric);
  }

  /** A task on files of the temporary folder, with the default templates. */
  private TaskSpec files(String name, Metric metric) {
    TaskSpec spec = new TaskSpec();
    spec.setName(name);
    spec.setMetric(metric);
    spec.setTrain(split(dir.resolve("train.jsonl").toString()));
    spec.setValidation(split(dir.resolve("validation.jsonl").toString()));
    return spec;
  }

  private static TaskSpec spec(String name, String train, String validation, Metric metric) {
    TaskSpec spec = new TaskSpec();
    spec.setName(name);
    spec.setMetric(metric);
    spec.setTrain(split(resource(train)));
    spec.setValidation(split(resource(validation)));
    return spec;
  }

  private static SplitSpec split(String uri) {
    SplitSpec split = new SplitSpec();
    split.setUri(uri);
    return split;
  }

  private static String resource(String name) {
    var url = TaskLoaderTest.class.getResource("/" + name);
    if (url == null) {
      return name;
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void gzip(String name, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name)))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
