package io.scalesweep.api.v1alpha1;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * Makes a status's {@code conditions} a map-type list keyed by {@code type}, as Kubernetes
 * conventions ask: server-side apply then merges conditions by type instead of replacing the whole
 * list, and the API server refuses two conditions of one type. The API server requires a map key to
 * be a required field, so {@code type} (and {@code status}, which no condition lacks) become
 * required in the items.
 *
 * <p>Used by the CRD generator at build time through {@code @SchemaCustomizer(value =
 * ConditionsSchema.class, input = "conditions")}: the generator has no annotation for list types,
 * and its JSON merge patch customizer replaces nested maps instead of merging them.
 */
public final class ConditionsSchema implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(JSONSchemaProps schema, String field, KubernetesSerialization serialization) {
    JSONSchemaProps conditions = schema.getProperties() == null ? null : schema.getProperties().get(field);
    if (conditions == null || conditions.getItems() == null || conditions.getItems().getSchema() == null) {
      throw new IllegalStateException("no list property '" + field + "' to make a map-type list of");
    }
    conditions.setXKubernetesListType("map");
    conditions.setXKubernetesListMapKeys(List.of("type"));
    conditions.getItems().getSchema().setRequired(List.of("type", "status"));
    return schema;
  }
}
