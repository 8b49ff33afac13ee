package io.scalesweep.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lints the chart and checks what it renders, with the real helm binary. */
class HelmChartTest {

  private static final Path CHART = Path.of(System.getProperty("scalesweep.chart.dir", "scalesweep"));

  /** The Maven project version (set by the build): the images' tag and the chart's appVersion. */
  private static final String VERSION = System.getProperty("scalesweep.project.version");

  @Test
  void chartLintsClean() {
    var result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
  }

  @Test
  void defaultsRenderARestrictedOperatorWatchingAllNamespaces() {
    List<HasMetadata> objects = render();

    Deployment deployment = only(objects, Deployment.class);
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/scalesweep/operator:" + projectVersion());
    assertThat(env(container, "SCALESWEEP_TRAINER_IMAGE")).isEqualTo("ghcr.io/scalesweep/trainer:" + projectVersion());
    assertThat(env(container, "SCALESWEEP_TRAINER_IMAGE_PULL_POLICY")).isEqualTo("IfNotPresent");
    assertThat(deployment.getSpec().getTemplate().getSpec().getImagePullSecrets()).isNullOrEmpty();
    assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("QUARKUS_OPERATOR_SDK_NAMESPACES"));
    // Liveness counts only after the startup probe passed: a slow JVM start is not a crash.
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
    assertThat(container.getStartupProbe().getPeriodSeconds() * container.getStartupProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(120);
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
  }

  @Test
  void chartVersionsFollowTheMavenProject() throws IOException {
    // The images are tagged with the project version and the chart names them by appVersion.
    Map<String, Object> chart = Serialization.unmarshal(Files.readString(CHART.resolve("Chart.yaml")), Map.class);
    assertThat(chart.get("appVersion")).as("Chart.yaml appVersion").hasToString(projectVersion());
    assertThat(chart.get("version")).as("Chart.yaml version").hasToString(projectVersion());
  }

  @Test
  void aCustomRegistryAndTagReachEveryImage() {
    String rendered = new Helm(CHART).template().withName("sweeps")
        .set("image.registry", "registry.example.com/ml")
        .set("image.tag", "1.2.3")
        .call();
    var container = only(Rendered.objects(rendered), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(container.getImage()).isEqualTo("registry.example.com/ml/operator:1.2.3");
    assertThat(env(container, "SCALESWEEP_TRAINER_IMAGE")).isEqualTo("registry.example.com/ml/trainer:1.2.3");
    assertThat(rendered).doesNotContain("ghcr.io").doesNotContain(":" + projectVersion() + "\"");
  }

  @Test
  void theTrainerImageCanComeFromElsewhere() {
    var rendered = new Helm(CHART).template().withName("sweeps")
        .set("image.registry", "")
        .set("image.repository", "quay.io/team/scalesweep-operator")
        .set("trainerImage.registry", "registry.example.com/gpu")
        .set("trainerImage.repository", "trainer-cuda")
        .set("trainerImage.tag", "cu128")
        .set("trainerImage.pullPolicy", "Always")
        .call();
    var container = only(Rendered.objects(rendered), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(container.getImage()).isEqualTo("quay.io/team/scalesweep-operator:" + projectVersion());
    assertThat(env(container, "SCALESWEEP_TRAINER_IMAGE")).isEqualTo("registry.example.com/gpu/trainer-cuda:cu128");
    assertThat(env(container, "SCALESWEEP_TRAINER_IMAGE_PULL_POLICY")).isEqualTo("Always");
  }

  @Test
  void trialsWithGpusGetTheCudaImageOnlyWhenItIsNamed() {
    var plain = only(render(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(plain.getEnv()).noneMatch(e -> e.getName().equals("SCALESWEEP_TRAINER_GPU_IMAGE"));

    var rendered = new Helm(CHART).template().withName("sweeps")
        .set("image.registry", "registry.example.com/ml")
        .set("trainerImage.gpuTag", "1.2.3-cu128")
        .call();
    var container = only(Rendered.objects(rendered), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(container, "SCALESWEEP_TRAINER_GPU_IMAGE")).isEqualTo("registry.example.com/ml/trainer:1.2.3-cu128");

    var elsewhere = new Helm(CHART).template().withName("sweeps")
        .set("trainerImage.gpuRepository", "trainer-cuda")
        .set("trainerImage.gpuTag", "cu128")
        .call();
    var other = only(Rendered.objects(elsewhere), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(other, "SCALESWEEP_TRAINER_GPU_IMAGE")).isEqualTo("ghcr.io/scalesweep/trainer-cuda:cu128");
  }

  @Test
  void imagePullSecretsReachTheOperatorPod() {
    var rendered = new Helm(CHART).template().withName("sweeps")
        .set("imagePullSecrets[0]", "regcred")
        .set("imagePullSecrets[1]", "mirror-cred")
        .call();
    var pod = only(Rendered.objects(rendered), Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("regcred", "mirror-cred");
  }

  @Test
  void theHeapFollowsTheMemoryLimit() {
    var container = only(render(), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    // A percentage means nothing without a limit to take it of.
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(env(container, "JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=75");

    var tuned = new Helm(CHART).template().withName("sweeps")
        .set("jvm.maxRAMPercentage", "60")
        .set("jvm.options", "-Xlog:gc")
        .call();
    var tunedContainer = only(Rendered.objects(tuned), Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(tunedContainer, "JAVA_TOOL_OPTIONS"))
        .contains("-XX:MaxRAMPercentage=60")
        .doesNotContain("MaxRAMPercentage=75")
        .endsWith("-Xlog:gc");
  }

  @Test
  void watchNamespacesAreJoinedForTheOperator() {
    var rendered = new Helm(CHART).template().withName("sweeps").set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b").call();
    Deployment deployment = only(Rendered.objects(rendered), Deployment.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("QUARKUS_OPERATOR_SDK_NAMESPACES");
          assertThat(e.getValue()).isEqualTo("team-a,team-b");
        });
  }

  @Test
  void theAdmissionPolicyReachesTheOperator() {
    var rendered = new Helm(CHART).template().withName("sweeps")
        .set("policy.allowedImagePrefixes[0]", "registry.example/ml/")
        .set("policy.allowedImagePrefixes[1]", "registry.example/lab/")
        .set("policy.allowedPriorityClasses[0]", "research-low")
        .call();
    Deployment deployment = only(Rendered.objects(rendered), Deployment.class);
    var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();

    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("SCALESWEEP_POLICY_ALLOWED_IMAGE_PREFIXES");
      assertThat(e.getValue()).isEqualTo("registry.example/ml/,registry.example/lab/");
    });
    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("SCALESWEEP_POLICY_ALLOWED_PRIORITY_CLASSES");
      assertThat(e.getValue()).isEqualTo("research-low");
    });
    assertThat(env).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("SCALESWEEP_POLICY_ALLOW_OPERATOR_IDENTITY");
      assertThat(e.getValue()).isEqualTo("false");
    });
  }

  @Test
  void crdsShipWithTheChart() {
    // `helm show crds` lists what `helm install` applies from the chart's crds/ folder.
    // It concatenates the files without document separators, so put them back.
    String crds = new Helm(CHART).show().crds().call().replaceAll("(?m)^apiVersion:", "---\napiVersion:");
    assertThat(Rendered.objects(crds))
        .filteredOn(o -> o.getKind().equals("CustomResourceDefinition"))
        .extracting(o -> o.getMetadata().getName())
        .containsExactlyInAnyOrder("scalingsweeps.scalesweep.io", "trainingjobs.scalesweep.io");
  }

  private static String projectVersion() {
    assertThat(VERSION).as("system property scalesweep.project.version (set by the Maven build)").isNotBlank();
    return VERSION;
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getEnv()));
  }

  private static List<HasMetadata> render() {
    return Rendered.objects(new Helm(CHART).template().withName("sweeps").call());
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = objects.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(matches).as("rendered %s", type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }
}
