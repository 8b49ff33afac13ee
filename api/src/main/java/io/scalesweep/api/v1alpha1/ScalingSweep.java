package io.scalesweep.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model-shape sweep: a base T5 size, the scaling operators to apply to it and the recipe every
 * trial runs. The operator expands it into one {@link TrainingJob} per shape.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames({"sweep", "sweeps"})
@AdditionalPrinterColumn(name = "Trials", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.trials.total")
@AdditionalPrinterColumn(name = "Running", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.trials.running")
@AdditionalPrinterColumn(name = "Succeeded", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.trials.succeeded")
@AdditionalPrinterColumn(name = "Failed", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.trials.failed")
@AdditionalPrinterColumn(name = "ETA", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.etaSeconds", priority = 1)
@AdditionalPrinterColumn(name = "Best", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.best.code")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class ScalingSweep extends CustomResource<ScalingSweepSpec, ScalingSweepStatus> implements Namespaced {}
