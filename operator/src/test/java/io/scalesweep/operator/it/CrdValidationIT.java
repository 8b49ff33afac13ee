package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubeapitest.junit.EnableKubeAPIServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.SuspendPolicy;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD schema as the API server enforces it: invalid manifests are refused, and the message
 * names the field. (Problems only the sweep expansion can find are reported as the InvalidSpec
 * condition instead; {@link InvalidSweepIT} covers those.)
 */
@EnableKubeAPIServer(kubeAPIVersion = "1.32.13")
class CrdValidationIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NAMESPACE = "default";

  /** Injected by kube-api-test: a client of the API server it started for this class. */
  static KubernetesClient client;

  private static final String VALID_SWEEP = """
      apiVersion: scalesweep.io/v1alpha1
      kind: ScalingSweep
      metadata: {name: valid}
      spec:
        base: small
        scaling:
          - {op: NL, values: [8, 16]}
          - {op: SKV}
        variants: [NL16-SM, DM2K-FF12K-BA]
        pretrain:
          dataset: {uri: "s3://corpora/c4/*.jsonl.gz"}
          steps: 1000
        resources: {gpus: 1, queueName: team-a}
        parallelism: 2
        failurePolicy: {maxRetries: 1, maxFailedTrials: 0}
        storage: {uri: "s3://sweeps/", secretRef: s3-credentials}
      """;

  private static final String VALID_TRAINING_JOB = """
      apiVersion: scalesweep.io/v1alpha1
      kind: TrainingJob
      metadata: {name: valid-tjob}
      spec:
        code: NL16-SM
        shape: {encoderLayers: 16, decoderLayers: 16, dModel: 512, dFF: 2048, dKV: 64, numHeads: 8, vocabSize: 384}
        pretrain: {dataset: {uri: "s3://corpora/c4/*.jsonl.gz"}}
        storage: {uri: "s3://sweeps/"}
      """;

  @BeforeAll
  static void installCrds() {
    TestApiServer.installCrds(client);
  }

  @Test
  void theValidManifestsAreAcceptedWithSchemaDefaults() {
    ScalingSweep sweep = client.resources(ScalingSweep.class).inNamespace(NAMESPACE).resource(read(VALID_SWEEP, s -> { }, ScalingSweep.class)).create();
    client.resource(asResource(VALID_TRAINING_JOB, s -> { })).inNamespace(NAMESPACE).create();

    assertThat(sweep.getSpec().getIncludeBase()).isTrue();
    assertThat(sweep.getSpec().getGrid()).isFalse();
    assertThat(sweep.getSpec().getPretrain().getBatchSize()).isEqualTo(128);
    assertThat(sweep.getSpec().getResources().getGpuResource()).isEqualTo("nvidia.com/gpu");
  }

  /** A map-type list keyed by type: two conditions of one type are refused, not stored. */
  @Test
  void conditionsAreAMapTypeListKeyedByType() {
    ScalingSweep sweep = client.resources(ScalingSweep.class).inNamespace(NAMESPACE)
        .resource(read(VALID_SWEEP, s -> ((ObjectNode) s.get("metadata")).put("name", "conditions-map"), ScalingSweep.class)).create();
    var ready = new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType("Ready").withStatus("False").withReason("Launching").withMessage("m")
        .withLastTransitionTime("2026-11-29T12:00:00Z").build();
    sweep.setStatus(new io.scalesweep.api.v1alpha1.ScalingSweepStatus());
    sweep.getStatus().setConditions(java.util.List.of(ready, new io.fabric8.kubernetes.api.model.ConditionBuilder(ready).withStatus("True").build()));
    assertThatThrownBy(() -> client.resource(sweep).updateStatus())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("status.conditions[1]").hasMessageContaining("Duplicate value");

    sweep.getStatus().setConditions(java.util.List.of(ready));
    assertThat(client.resource(sweep).updateStatus().getStatus().getConditions()).hasSize(1);
  }

  static Stream<Arguments> invalidSweeps() {
    return Stream.of(
        invalid("parallelism 0", s -> spec(s).put("parallelism", 0), "spec.parallelism", "greater than or equal to 1"),
        invalid("unknown base", s -> spec(s).put("base", "huge"), "spec.base", "Unsupported value"),
        invalid("unknown op", s -> rule(s, 0).put("op", "XX"), "spec.scaling[0].op", "Unsupported value"),
        invalid("empty values", s -> rule(s, 0).putArray("values"), "spec.scaling[0].values", "at least one value"),
        invalid("SKV with values", s -> rule(s, 1).putArray("values").add(2), "spec.scaling[1].values", "empty for SKV"),
        invalid("zero value", s -> rule(s, 0).putArray("values").add(0), "spec.scaling[0].values", "at least 1"),
        invalid("bad variant notation", s -> ((ArrayNode) spec(s).get("variants")).add("nl16-small"), "spec.variants[2]", "should match"),
        invalid("kvHeads not dividing numHeads", s -> spec(s).putObject("overrides").put("numHeads", 8).put("kvHeads", 3),
            "spec.overrides.kvHeads", "kvHeads must divide numHeads"),
        invalid("storage uri scheme", s -> ((ObjectNode) spec(s).get("storage")).put("uri", "http://minio:9000/sweeps"),
            "spec.storage.uri", "should match"),
        invalid("expands to nothing", s -> {
          spec(s).put("includeBase", false);
          spec(s).remove("scaling");
          spec(s).remove("variants");
        }, "spec", "the sweep expands to nothing"),
        invalid("missing dataset uri", s -> ((ObjectNode) spec(s).get("pretrain").get("dataset")).remove("uri"),
            "spec.pretrain.dataset.uri", "Required value"),
        invalid("missing pretrain", s -> spec(s).remove("pretrain"), "spec.pretrain", "Required value"),
        invalid("too many retries", s -> ((ObjectNode) spec(s).get("failurePolicy")).put("maxRetries", 101),
            "spec.failurePolicy.maxRetries", "less than or equal to 100"),
        invalid("batch not divisible by accumulation", s -> ((ObjectNode) spec(s).get("pretrain")).put("batchSize", 10).put("gradientAccumulation", 3),
            "spec.pretrain.gradientAccumulation", "divisible"),
        invalid("queue name", s -> ((ObjectNode) spec(s).get("resources")).put("queueName", "Team A"),
            "spec.resources.queueName", "should match"),
        invalid("huggingface tokenizer without path", s -> ((ObjectNode) spec(s).get("pretrain")).putObject("tokenizer").put("type", "huggingface"),
            "spec.pretrain.tokenizer.path", "path is required"),
        invalid("negative gpus", s -> ((ObjectNode) spec(s).get("resources")).put("gpus", -1),
            "spec.resources.gpus", "greater than or equal to 0"),
        invalid("unknown suspendPolicy", s -> spec(s).put("suspendPolicy", "StopEverything"),
            "spec.suspendPolicy", "Unsupported value"),
        invalid("shape rule with both bounds", s -> byShape(s).addObject().put("maxParams", 100).put("maxFlopsPerStep", 100).put("gpus", 1),
            "spec.resources.byShape[0]", "give exactly one bound"),
        invalid("shape rule without a bound", s -> byShape(s).addObject().put("gpus", 1),
            "spec.resources.byShape[0]", "give exactly one bound"),
        invalid("shape rule without gpus", s -> byShape(s).addObject().put("maxParams", 100),
            "spec.resources.byShape[0].gpus", "Required value"),
        invalid("shape rule with negative gpus", s -> byShape(s).addObject().put("maxParams", 100).put("gpus", -1),
            "spec.resources.byShape[0].gpus", "greater than or equal to 0"),
        invalid("shape rule with bad memory", s -> byShape(s).addObject().put("maxParams", 100).put("gpus", 1).put("memory", "lots"),
            "spec.resources.byShape[0].memory", "should match"),
        invalid("shape rules decreasing", s -> {
          byShape(s).addObject().put("maxParams", 200).put("gpus", 2);
          ((ArrayNode) spec(s).get("resources").get("byShape")).addObject().put("maxParams", 100).put("gpus", 1);
        }, "spec.resources.byShape", "maxParams must strictly increase"),
        invalid("shape rules with equal bounds", s -> {
          byShape(s).addObject().put("maxFlopsPerStep", 100).put("gpus", 1);
          ((ArrayNode) spec(s).get("resources").get("byShape")).addObject().put("maxFlopsPerStep", 100).put("gpus", 2);
        }, "spec.resources.byShape", "maxFlopsPerStep must strictly increase"),
        invalid("shape rules of mixed measures", s -> {
          byShape(s).addObject().put("maxParams", 100).put("gpus", 1);
          ((ArrayNode) spec(s).get("resources").get("byShape")).addObject().put("maxFlopsPerStep", 200).put("gpus", 2);
        }, "spec.resources.byShape", "bound every rule by the same measure"),
        invalid("zero tokens per second", s -> ((ObjectNode) spec(s).get("resources")).put("tokensPerSecondPerGpu", 0),
            "spec.resources.tokensPerSecondPerGpu", "greater than 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSweeps")
  void invalidSweepsAreRefusedNamingTheField(String name, Consumer<ObjectNode> change, String field, String message) {
    GenericKubernetesResource sweep = asResource(VALID_SWEEP, change);
    sweep.getMetadata().setName(name.replace(' ', '-'));

    assertThatThrownBy(() -> client.resource(sweep).inNamespace(NAMESPACE).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(field + ": ").contains(message);
        });
  }

  static Stream<Arguments> recipeChanges() {
    return Stream.of(
        change("change base", s -> spec(s).put("base", "base"), "spec.base", "base is fixed"),
        change("add a variant", s -> ((ArrayNode) spec(s).get("variants")).add("NL32-SM"),
            "spec.variants", "variants is fixed"),
        change("add variants where there were none", s -> {
          spec(s).remove("variants");
        }, "spec.variants", "variants is fixed"),
        change("remove scaling", s -> spec(s).remove("scaling"), "spec.scaling", "scaling is fixed"),
        change("change storage.uri", s -> ((ObjectNode) spec(s).get("storage")).put("uri", "s3://other/"),
            "spec.storage", "storage is fixed"),
        change("change the learning rate", s -> ((ObjectNode) spec(s).get("pretrain")).put("learningRate", 0.001),
            "spec.pretrain", "pretrain is fixed"),
        change("add fine-tuning", s -> {
          ObjectNode task = spec(s).putObject("finetune").putArray("tasks").addObject()
              .put("name", "boolq").put("metric", "accuracy");
          task.putObject("train").put("uri", "s3://t/train.jsonl");
          task.putObject("validation").put("uri", "s3://t/validation.jsonl");
        }, "spec.finetune", "finetune is fixed"),
        change("change resources", s -> ((ObjectNode) spec(s).get("resources")).put("gpus", 8),
            "spec.resources", "resources is fixed"),
        change("add gpus per shape", s -> byShape(s).addObject().put("maxParams", 100_000_000L).put("gpus", 2),
            "spec.resources", "resources is fixed"),
        change("set an image", s -> spec(s).put("image", "example.com/trainer:2"), "spec.image", "image is fixed"));
  }

  /**
   * Only budgets change once a sweep exists: new trials would otherwise run another recipe and the
   * Pareto sets compare different experiments. Adding and removing fields is refused too, which
   * a transition rule on the field itself would not see.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("recipeChanges")
  void theRecipeOfASweepCannotChangeAfterCreation(
      String name, Consumer<ObjectNode> change, String field, String message) {
    String sweepName = "fixed-" + name.replace(' ', '-').replace(".", "");
    boolean addsVariants = name.equals("add variants where there were none");
    GenericKubernetesResource sweep =
        asResource(VALID_SWEEP, addsVariants ? change : s -> { });
    sweep.getMetadata().setName(sweepName);
    GenericKubernetesResource created = client.resource(sweep).inNamespace(NAMESPACE).create();
    GenericKubernetesResource changed = asResource(VALID_SWEEP, addsVariants ? s -> { } : change);
    changed.getMetadata().setName(sweepName);
    changed.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());

    assertThatThrownBy(() -> client.resource(changed).inNamespace(NAMESPACE).update())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(422);
          assertThat(e.getMessage()).contains(field + ": ").contains(message)
              .contains("only parallelism, suspend, suspendPolicy, failurePolicy and startDeadlineSeconds may change");
        });
  }

  @Test
  void theBudgetsOfASweepMayChange() {
    GenericKubernetesResource sweep = asResource(VALID_SWEEP, s -> { });
    sweep.getMetadata().setName("budgets");
    client.resource(sweep).inNamespace(NAMESPACE).create();

    ScalingSweep edited = client.resources(ScalingSweep.class).inNamespace(NAMESPACE).withName("budgets").edit(s -> {
      s.getSpec().setParallelism(8);
      s.getSpec().setSuspend(true);
      s.getSpec().setSuspendPolicy(SuspendPolicy.StopRunning);
      s.getSpec().getFailurePolicy().setMaxFailedTrials(5);
      return s;
    });
    assertThat(edited.getSpec().getParallelism()).isEqualTo(8);
    assertThat(edited.getSpec().getSuspendPolicy()).isEqualTo(SuspendPolicy.StopRunning);
    assertThat(edited.getSpec().getFailurePolicy().getMaxFailedTrials()).isEqualTo(5);
  }

  private static Arguments change(String name, Consumer<ObjectNode> change, String field, String message) {
    return Arguments.of(name, change, field, message);
  }

  @Test
  void shapeRulesOrderedByOneMeasureAreAccepted() {
    ScalingSweep sweep = client.resources(ScalingSweep.class).inNamespace(NAMESPACE).resource(read(VALID_SWEEP, s -> {
      ((ObjectNode) s.get("metadata")).put("name", "by-shape");
      ((ObjectNode) spec(s).get("resources")).put("tokensPerSecondPerGpu", 20000.0);
      byShape(s).addObject().put("maxFlopsPerStep", 1_000_000_000_000L).put("gpus", 0).put("memory", "16Gi");
      ((ArrayNode) spec(s).get("resources").get("byShape")).addObject().put("maxFlopsPerStep", 5_000_000_000_000_000L).put("gpus", 4)
          .put("tokensPerSecondPerGpu", 90000.0).putObject("nodeSelector").put("gpu", "h100");
    }, ScalingSweep.class)).create();

    assertThat(sweep.getSpec().getResources().getByShape()).hasSize(2);
    assertThat(sweep.getSpec().getResources().getByShape().get(1).getMaxFlopsPerStep()).isEqualTo(5_000_000_000_000_000L);
    assertThat(sweep.getSpec().getResources().getByShape().get(1).getNodeSelector()).containsEntry("gpu", "h100");
    assertThat(sweep.getSpec().getResources().getGpus()).as("the default stays the sweep's plain resources").isEqualTo(1);
  }

  @Test
  void aTrainingJobNeedsAFullyResolvedShape() {
    GenericKubernetesResource tj = asResource(VALID_TRAINING_JOB, t -> ((ObjectNode) t.get("spec").get("shape")).remove("dModel"));

    assertThatThrownBy(() -> client.resource(tj).inNamespace(NAMESPACE).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e ->
            assertThat(e.getMessage()).contains("spec.shape: ").contains("shape must give"));
  }

  private static Arguments invalid(String name, Consumer<ObjectNode> change, String field, String message) {
    return Arguments.of(name, change, field, message);
  }

  private static ObjectNode spec(ObjectNode manifest) {
    return (ObjectNode) manifest.get("spec");
  }

  /** A new, empty {@code resources.byShape} list of the manifest. */
  private static ArrayNode byShape(ObjectNode manifest) {
    return ((ObjectNode) spec(manifest).get("resources")).putArray("byShape");
  }

  private static ObjectNode rule(ObjectNode manifest, int i) {
    return (ObjectNode) spec(manifest).get("scaling").get(i);
  }

  private static GenericKubernetesResource asResource(String yaml, Consumer<ObjectNode> change) {
    return read(yaml, change, GenericKubernetesResource.class);
  }

  private static <T> T read(String yaml, Consumer<ObjectNode> change, Class<T> type) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      change.accept((ObjectNode) tree);
      return YAML.treeToValue(tree, type);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
