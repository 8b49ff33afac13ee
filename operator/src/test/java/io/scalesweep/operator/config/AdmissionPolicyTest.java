package io.scalesweep.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.StorageSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionPolicyTest {

  private static final AdmissionPolicy OPEN = AdmissionPolicy.defaults();

  @Test
  void theDefaultsAskOnlyForCredentialsByReferenceAndForS3() {
    assertThat(OPEN.problem(storage("s3://b/", "creds", null), "any/image:1", resources("any", "any-key"))).isEmpty();
    assertThat(field(OPEN.problem(storage("s3://b/", null, null), null, null))).isEqualTo("spec.storage.secretRef");
    assertThat(field(OPEN.problem(storage("file:///data/", "creds", null), null, null))).isEqualTo("spec.storage.uri");
    assertThat(field(OPEN.problem(storage("/data/", "creds", null), null, null))).isEqualTo("spec.storage.uri");
  }

  @Test
  void theOperatorsOwnIdentityIsLentOnlyWhenTheAdminSaysSo() {
    AdmissionPolicy lending = new AdmissionPolicy(true, List.of(), List.of(), List.of(), List.of());

    assertThat(lending.problem(storage("s3://b/", null, null), null, null)).isEmpty();
  }

  @Test
  void listedValuesAreTheOnlyOnesAllowed() {
    AdmissionPolicy strict = new AdmissionPolicy(false, List.of("https://minio.lab:9000"),
        List.of("registry.lab/"), List.of("low"), List.of("nvidia.com/gpu"));
    StorageSpec lab = storage("s3://b/", "creds", "https://minio.lab:9000/");

    assertThat(strict.problem(lab, "registry.lab/trainer:1", resources("low", "nvidia.com/gpu"))).isEmpty();
    assertThat(strict.problem(lab, null, null)).as("the operator's own image is always allowed").isEmpty();
    assertThat(message(strict.problem(storage("s3://b/", "creds", null), null, null)))
        .isEqualTo("spec.storage.endpoint (none, that is AWS) is not allowed in this cluster;"
            + " allowed: https://minio.lab:9000");
    assertThat(message(strict.problem(lab, "registry.lab.evil.com/x:1", null))).startsWith("spec.image");
    assertThat(message(strict.problem(lab, null, resources("high", null))))
        .isEqualTo("spec.resources.priorityClassName 'high' is not allowed in this cluster; allowed: low");
    assertThat(message(strict.problem(lab, null, resources(null, "dedicated"))))
        .startsWith("spec.resources.tolerations[0].key 'dedicated'");
    assertThat(message(strict.problem(lab, null, resources(null, null))))
        .as("a toleration without a key tolerates every taint")
        .startsWith("spec.resources.tolerations[0].key (empty: tolerates every taint)");
  }

  private static StorageSpec storage(String uri, String secret, String endpoint) {
    StorageSpec s = new StorageSpec();
    s.setUri(uri);
    s.setSecretRef(secret);
    s.setEndpoint(endpoint);
    return s;
  }

  private static ResourcesSpec resources(String priority, String tolerationKey) {
    ResourcesSpec r = new ResourcesSpec();
    r.setPriorityClassName(priority);
    r.setTolerations(List.of(new TolerationBuilder().withKey(tolerationKey).withOperator("Exists").build()));
    return r;
  }

  private static String field(Optional<InvalidSpecException> problem) {
    return problem.orElseThrow().field();
  }

  private static String message(Optional<InvalidSpecException> problem) {
    return problem.orElseThrow().getMessage();
  }
}
