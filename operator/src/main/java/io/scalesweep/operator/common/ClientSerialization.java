package io.scalesweep.operator.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * How the operator's Kubernetes client reads objects: fields it does not know are skipped, not
 * fatal. Helm never downgrades CRDs, so an operator rolled back after an upgrade reads sweeps and
 * trials that carry the newer version's fields (its status fields, a new knob). Jackson's default
 * failed every such object, and an informer whose list cannot be read never syncs: the whole
 * operator stood still. The CLI stays strict on purpose (a misspelt knob must not train the wrong
 * model): it reads manifests with its own mapper.
 */
@Singleton
public class ClientSerialization implements KubernetesClientObjectMapperCustomizer {

  @Override
  public void customize(ObjectMapper mapper) {
    tolerateUnknownFields(mapper);
  }

  /** For clients built outside Quarkus (the tests' operator): the same reading rules. */
  public static KubernetesSerialization create() {
    return new KubernetesSerialization(tolerateUnknownFields(new ObjectMapper()), true);
  }

  static ObjectMapper tolerateUnknownFields(ObjectMapper mapper) {
    return mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
