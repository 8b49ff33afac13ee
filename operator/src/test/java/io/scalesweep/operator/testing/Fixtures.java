package io.scalesweep.operator.testing;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.ScalingOp;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.DatasetSpec;
import io.scalesweep.api.v1alpha1.FailurePolicySpec;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import io.scalesweep.api.v1alpha1.ScalingRule;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.ScalingSweepSpec;
import io.scalesweep.api.v1alpha1.ScalingSweepStatus;
import io.scalesweep.api.v1alpha1.ShapeSpec;
import io.scalesweep.api.v1alpha1.StorageSpec;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrainingJobSpec;
import io.scalesweep.operator.storage.SweepGathering;
import java.util.ArrayList;
import java.util.List;

/** Small valid API objects for tests, built in code so each test states what it changes. */
public final class Fixtures {

  public static final String NAMESPACE = "research";

  private Fixtures() {}

  public static TrainingJob trainingJob(String name) {
    TrainingJob tj = new TrainingJob();
    tj.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withGeneration(1L).withUid("uid-" + name).build());
    TrainingJobSpec spec = new TrainingJobSpec();
    spec.setSweep("deepnarrow");
    spec.setCode("NL16-SM");
    spec.setShape(shapeSpec(BaseSize.SMALL.shape().withEncoderLayers(16).withDecoderLayers(16)));
    spec.setPretrain(pretrain());
    spec.setResources(new ResourcesSpec());
    spec.setStorage(storage());
    spec.setMaxRetries(3);
    tj.setSpec(spec);
    return tj;
  }

  /**
   * A sweep of small with NL and FF rules: {@code 1 + nl.length + ff.length} trials (the base,
   * then each NL value, then each FF value), named {@code <name>-sm}, {@code <name>-nl2-sm}...
   */
  public static ScalingSweep sweep(String name, List<Integer> nl, List<Integer> ff) {
    ScalingSweep sweep = new ScalingSweep();
    sweep.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).withGeneration(1L).withUid("uid-" + name).build());
    ScalingSweepSpec spec = new ScalingSweepSpec();
    spec.setBase(BaseSize.SMALL);
    spec.setIncludeBase(true);
    spec.setScaling(List.of(rule(ScalingOp.NL, nl), rule(ScalingOp.FF, ff)));
    spec.setPretrain(pretrain());
    spec.setStorage(storage());
    SweepResourcesSpec resources = new SweepResourcesSpec();
    resources.setGpus(1);
    spec.setResources(resources);
    spec.setParallelism(3);
    FailurePolicySpec policy = new FailurePolicySpec();
    policy.setMaxRetries(2);
    policy.setMaxFailedTrials(1);
    spec.setFailurePolicy(policy);
    sweep.setSpec(spec);
    return sweep;
  }

  /** The twelve-trial sweep of the ITs: base, NL x8, FF x3. */
  public static ScalingSweep twelveTrials(String name) {
    return sweep(name, List.of(2, 4, 8, 12, 16, 20, 24, 32), List.of(1024, 4096, 8192));
  }

  public static ScalingRule rule(ScalingOp op, List<Integer> values) {
    ScalingRule r = new ScalingRule();
    r.setOp(op);
    r.setValues(values);
    return r;
  }

  public static PretrainSpec pretrain() {
    PretrainSpec p = new PretrainSpec();
    DatasetSpec d = new DatasetSpec();
    d.setUri("s3://corpora/c4/*.jsonl.gz");
    p.setDataset(d);
    p.setSteps(1000);
    return p;
  }

  /**
   * The sweep as it is after the operator claimed its folder in storage (the {@code StorageOwned}
   * condition), when trials may launch.
   */
  public static ScalingSweep claimed(ScalingSweep sweep) {
    ScalingSweepStatus status = sweep.getStatus() == null ? new ScalingSweepStatus() : sweep.getStatus();
    List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    conditions.add(new ConditionBuilder().withType(SweepGathering.STORAGE_OWNED).withStatus("True")
        .withReason(SweepGathering.REASON_CLAIMED).build());
    status.setConditions(conditions);
    sweep.setStatus(status);
    return sweep;
  }

  public static StorageSpec storage() {
    StorageSpec s = new StorageSpec();
    s.setUri("s3://sweeps/");
    s.setSecretRef("s3-credentials");
    return s;
  }

  public static ShapeSpec shapeSpec(Shape s) {
    ShapeSpec spec = new ShapeSpec();
    spec.setEncoderLayers(s.encoderLayers());
    spec.setDecoderLayers(s.decoderLayers());
    spec.setDModel(s.dModel());
    spec.setDFF(s.dFF());
    spec.setDKV(s.dKV());
    spec.setNumHeads(s.numHeads());
    spec.setKvHeads(s.kvHeads());
    spec.setTiedKV(s.tiedKV());
    spec.setVocabSize(s.vocabSize());
    return spec;
  }
}
