package io.scalesweep.trainer.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;

/** Hand-made parameters and gradients for optimiser tests. */
final class TestParameters {

  private TestParameters() {}

  static Parameter parameter(NDManager manager, String name, float[] values, long... shape) {
    Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    NDArray a = manager.create(values, new Shape(shape));
    a.setRequiresGradient(true);
    p.setArray(a);
    return p;
  }

  static ParameterList list(Parameter... parameters) {
    ParameterList list = new ParameterList();
    for (Parameter p : parameters) {
      list.add(p.getName(), p);
    }
    return list;
  }

  /**
   * Makes each parameter's gradient exactly the given values: backward of sum(g * w). The
   * constant comes first so the product lands in the scratch manager, not the parameter's.
   */
  static void setGradients(NDManager scratch, ParameterList params, float[]... gradients) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (int i = 0; i < params.size(); i++) {
        NDArray w = params.get(i).getValue().getArray();
        NDArray term = scratch.create(gradients[i], w.getShape()).mul(w).sum();
        loss = loss == null ? term : loss.add(term);
      }
      collector.backward(loss);
    }
  }

  static float[] values(Parameter p) {
    return p.getArray().toFloatArray();
  }
}
