package io.scalesweep.api.resources;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.cost.StepCost;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.PretrainSpec;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import java.util.HashMap;

/**
 * The resources of one trial: the sweep's plain {@code resources}, with the fields of the first
 * {@code byShape} rule the trial's cost is within laid over them. A pure function of the sweep's
 * spec and the trial's shape, so the operator, {@code scalesweep run} and {@code plan} agree.
 */
public final class TrialResources {

  // The sweep's rules and planning figures are not fields of a trial's ResourcesSpec.
  private static final ObjectMapper COPY =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TrialResources() {}

  /**
   * The matched rule's index (-1: none, the plain resources) and what the trial's pod asks for.
   *
   * @param resources the sweep's resources, or null (the TrainingJob then gets none either)
   */
  public record Resolved(int rule, ResourcesSpec resources) {}

  /** As {@link #resolve}, the resources only. */
  public static ResourcesSpec of(SweepResourcesSpec resources, PretrainSpec pretrain, Shape shape) {
    return resolve(resources, pretrain, shape).resources();
  }

  /**
   * @throws io.scalesweep.api.InvalidSpecException when the rules are invalid, naming the field
   */
  public static Resolved resolve(SweepResourcesSpec resources, PretrainSpec pretrain, Shape shape) {
    ShapeRules.problem(resources).ifPresent(e -> {
      throw e;
    });
    if (resources == null) {
      return new Resolved(-1, null);
    }
    ResourcesSpec plain = COPY.convertValue(resources, ResourcesSpec.class);
    if (ShapeRules.of(resources).isEmpty()) {
      // No rules: no cost to compute, and the trial gets exactly what the sweep says.
      return new Resolved(-1, plain);
    }
    int index = ShapeRules.match(resources, ParamCounter.count(shape), StepCost.of(pretrain).flops(shape));
    if (index >= 0) {
      apply(resources.getByShape().get(index), plain);
    }
    return new Resolved(index, plain);
  }

  private static void apply(ShapeResourceRule rule, ResourcesSpec target) {
    target.setGpus(rule.getGpus());
    if (rule.getCpu() != null) {
      target.setCpu(rule.getCpu());
    }
    if (rule.getMemory() != null) {
      target.setMemory(rule.getMemory());
    }
    if (rule.getNodeSelector() != null) {
      target.setNodeSelector(new HashMap<>(rule.getNodeSelector()));
    }
  }
}
