package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scalesweep.api.shape.ScalingOp;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.operator.common.Conditions;
import io.scalesweep.operator.sweep.SweepConditions;
import io.scalesweep.operator.testing.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sweeps the schema accepts but that cannot run: the operator reports them in the InvalidSpec
 * condition, naming the field, launches nothing, and does not retry in a loop.
 */
class InvalidSweepIT {

  private static final TestApiServer SERVER = TestApiServer.shared();
  private static KubernetesClient client;
  private static String namespace;
  private static OperatorUnderTest operator;
  private static SweepDriver cluster;

  @BeforeAll
  static void start() {
    client = SERVER.newClient();
    namespace = SERVER.newNamespace(client, "invalid");
    operator = new OperatorUnderTest(client, namespace).start();
    cluster = new SweepDriver(client, namespace);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    operator.close();
    client.close();
  }

  static Stream<Arguments> unexpandable() {
    return Stream.of(
        Arguments.of("shared-heads", (Consumer<ScalingSweep>) s -> s.getSpec().setScaling(List.of(Fixtures.rule(ScalingOp.SH, List.of(3)))),
            "spec.scaling[0]", "kvHeads"),
        Arguments.of("grid-same-op", (Consumer<ScalingSweep>) s -> {
          s.getSpec().setGrid(true);
          s.getSpec().setScaling(List.of(Fixtures.rule(ScalingOp.NL, List.of(8)), Fixtures.rule(ScalingOp.NL, List.of(16))));
        }, "spec.scaling", "NL"),
        Arguments.of("variant-heads", (Consumer<ScalingSweep>) s -> s.getSpec().setVariants(List.of("NL8-SM", "SH3-SM")),
            "spec.variants[1]", "kvHeads"),
        Arguments.of("variant-op", (Consumer<ScalingSweep>) s -> s.getSpec().setVariants(List.of("QQ16-SM")),
            "spec.variants[0]", "QQ"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unexpandable")
  void anUnexpandableSweepIsReportedNamingTheField(String name, Consumer<ScalingSweep> change, String field, String mention) {
    ScalingSweep sweep = Fixtures.sweep(name, List.of(8), List.of(4096));
    change.accept(sweep);
    create(sweep);

    ScalingSweep reported = cluster.awaitSweep(name, s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.INVALID_SPEC));

    Condition invalid = Conditions.find(reported.getStatus().getConditions(), SweepConditions.INVALID_SPEC);
    assertThat(invalid.getReason()).isEqualTo(SweepConditions.REASON_INVALID_FIELD);
    assertThat(invalid.getMessage()).startsWith(field).contains(mention);
    assertThat(Conditions.isTrue(reported.getStatus().getConditions(), SweepConditions.READY)).isFalse();
    assertThat(cluster.trainingJobs()).noneMatch(tj -> tj.getSpec().getSweep().equals(name));
  }

  @Test
  void aSweepWithoutStorageWaitsForItAndStartsOnceItIsGiven() throws InterruptedException {
    ScalingSweep sweep = Fixtures.sweep("nostorage", List.of(8), List.of(4096));
    sweep.getSpec().setStorage(null);
    create(sweep);

    ScalingSweep reported = cluster.awaitSweep("nostorage", s -> Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.INVALID_SPEC));
    assertThat(Conditions.find(reported.getStatus().getConditions(), SweepConditions.INVALID_SPEC).getMessage())
        .startsWith("spec.storage.uri");
    String version = reported.getMetadata().getResourceVersion();
    Thread.sleep(Duration.ofSeconds(3).toMillis());
    assertThat(client.resources(ScalingSweep.class).inNamespace(namespace).withName("nostorage").get().getMetadata().getResourceVersion())
        .as("an invalid sweep is written once, not rewritten by a retry loop").isEqualTo(version);

    client.resources(ScalingSweep.class).inNamespace(namespace).withName("nostorage").edit(s -> {
      s.getSpec().setStorage(Fixtures.storage());
      return s;
    });

    cluster.awaitSweep("nostorage", s -> !Conditions.isTrue(s.getStatus().getConditions(), SweepConditions.INVALID_SPEC)
        && s.getStatus().getObservedGeneration() == 2L);
    org.awaitility.Awaitility.await().atMost(SweepDriver.TIMEOUT).untilAsserted(() ->
        assertThat(cluster.trainingJobs()).filteredOn(tj -> tj.getSpec().getSweep().equals("nostorage")).hasSize(3));
  }

  private static void create(ScalingSweep sweep) {
    sweep.getMetadata().setNamespace(namespace);
    sweep.getMetadata().setUid(null);
    sweep.getMetadata().setGeneration(null);
    client.resource(sweep).create();
  }
}
