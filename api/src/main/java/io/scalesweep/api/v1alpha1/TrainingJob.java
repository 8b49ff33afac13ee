package io.scalesweep.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One trial of a sweep: a resolved shape trained by one pod of the trainer image. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames({"tjob", "tjobs"})
@AdditionalPrinterColumn(name = "Code", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.code")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Stage", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.progress.stage", priority = 1)
@AdditionalPrinterColumn(name = "Step", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.progress.step")
@AdditionalPrinterColumn(name = "Loss", type = AdditionalPrinterColumn.Type.NUMBER, jsonPath = ".status.progress.loss")
@AdditionalPrinterColumn(name = "ETA", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.progress.etaSeconds", priority = 1)
@AdditionalPrinterColumn(name = "Params", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.result.params")
@AdditionalPrinterColumn(name = "NegLogPpl", type = AdditionalPrinterColumn.Type.NUMBER, jsonPath = ".status.result.negLogPerplexity")
@AdditionalPrinterColumn(name = "Retries", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.retries", priority = 1)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
public class TrainingJob extends CustomResource<TrainingJobSpec, TrainingJobStatus> implements Namespaced {}
