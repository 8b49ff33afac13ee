package io.scalesweep.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.StorageSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageOptionsTest {

  @Test
  void readsTheTrainerContractVariables() {
    StorageOptions o =
        StorageOptions.fromEnvironment(
            Map.of(
                TrainerContract.ENV_S3_ENDPOINT, "http://minio.storage:9000",
                TrainerContract.ENV_S3_PATH_STYLE, "false",
                TrainerContract.ENV_AWS_REGION, "eu-west-1",
                TrainerContract.ENV_AWS_ACCESS_KEY_ID, "AKIA-TEST",
                TrainerContract.ENV_AWS_SECRET_ACCESS_KEY, "s3cr3t-value"));

    assertThat(o.endpoint()).isEqualTo("http://minio.storage:9000");
    assertThat(o.pathStyle()).isFalse();
    assertThat(o.region()).isEqualTo("eu-west-1");
    assertThat(o.accessKey()).isEqualTo("AKIA-TEST");
    assertThat(o.secretKey()).isEqualTo("s3cr3t-value");
    assertThat(o.hasCredentials()).isTrue();
  }

  @Test
  void anEmptyEnvironmentMeansAwsAndTheSdkCredentialChain() {
    StorageOptions o = StorageOptions.fromEnvironment(Map.of(TrainerContract.ENV_S3_ENDPOINT, " "));

    assertThat(o.endpoint()).isNull();
    assertThat(o.pathStyle()).isFalse();
    assertThat(o.region()).isEqualTo("us-east-1");
    assertThat(o.hasCredentials()).isFalse();
    assertThat(o.partSize()).isEqualTo(16L << 20);
  }

  @Test
  void aCustomEndpointDefaultsToPathStyle() {
    StorageOptions o =
        StorageOptions.fromEnvironment(Map.of(TrainerContract.ENV_S3_ENDPOINT, "http://s3proxy:80"));

    assertThat(o.pathStyle()).isTrue();
  }

  @Test
  void halfACredentialIsAMisconfiguredSecret() {
    assertThatThrownBy(
            () ->
                StorageOptions.fromEnvironment(
                    Map.of(TrainerContract.ENV_AWS_ACCESS_KEY_ID, "AKIA-TEST")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TrainerContract.ENV_AWS_SECRET_ACCESS_KEY);
  }

  @Test
  void toStringNeverShowsCredentials() {
    StorageOptions o = StorageOptions.defaults().withCredentials("AKIA-TEST", "s3cr3t-value");

    assertThat(o.toString())
        .doesNotContain("s3cr3t-value")
        .doesNotContain("AKIA-TEST")
        .contains("credentials=explicit");
  }

  @Test
  void theOperatorsEnvironmentYieldsTheSameOptionsInThePod() {
    StorageSpec spec = new StorageSpec();
    spec.setUri("s3://sweeps/");
    spec.setEndpoint("http://minio.storage:9000");
    spec.setRegion("eu-central-1");
    spec.setPathStyle(true);
    StorageOptions operatorSide = StorageOptions.fromSpec(spec);

    Map<String, String> podEnv = new HashMap<>(operatorSide.environment());
    assertThat(podEnv).doesNotContainKeys(
        TrainerContract.ENV_AWS_ACCESS_KEY_ID, TrainerContract.ENV_AWS_SECRET_ACCESS_KEY);
    podEnv.put(TrainerContract.ENV_AWS_ACCESS_KEY_ID, "from-secret");
    podEnv.put(TrainerContract.ENV_AWS_SECRET_ACCESS_KEY, "from-secret-too");

    assertThat(StorageOptions.fromEnvironment(podEnv))
        .isEqualTo(operatorSide.withCredentials("from-secret", "from-secret-too"));
  }

  @Test
  void aSpecWithDefaultsLeftOutUsesTheCrdDefaults() {
    StorageSpec spec = new StorageSpec();
    spec.setUri("s3://sweeps/");

    StorageOptions o = StorageOptions.fromSpec(spec);

    assertThat(o.region()).isEqualTo("us-east-1");
    assertThat(o.pathStyle()).isTrue();
    assertThat(o.endpoint()).isNull();
  }

  @Test
  void refusesSettingsS3OrTheSdkWouldRejectLater() {
    StorageOptions d = StorageOptions.defaults();

    assertThatThrownBy(() -> d.withMultipart(8 << 20, 4 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimum");
    assertThatThrownBy(() -> d.withRetries(0, Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRetries(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withRegion(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
