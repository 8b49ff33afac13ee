package io.scalesweep.trainer.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;

/** A small convex problem: fit W in A W = B by mean squared error. */
final class LeastSquares {

  private LeastSquares() {}

  /** Final loss over initial loss after {@code steps} updates at a constant rate. */
  static double lossRatioAfter(StatefulOptimizer optimizer, int steps, float learningRate) {
    try (NDManager m = NDManager.newBaseManager(); optimizer) {
      m.getEngine().setRandomSeed(3);
      NDArray a = m.randomNormal(new Shape(32, 6));
      NDArray truth = m.randomNormal(new Shape(6, 4));
      NDArray b = a.matMul(truth);
      Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
      NDArray start = m.randomNormal(new Shape(6, 4));
      start.setRequiresGradient(true);
      w.setArray(start);
      ParameterList params = new ParameterList();
      params.add("w", w);
      double first = Double.NaN;
      double last = Double.NaN;
      for (int i = 0; i < steps; i++) {
        try (NDManager step = m.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray residual = a.matMul(w.getArray()).sub(b);
          residual.attach(step);
          NDArray loss = residual.square().mean();
          collector.backward(loss);
          last = loss.getFloat();
          if (i == 0) {
            first = last;
          }
        }
        optimizer.step(params, learningRate);
      }
      return last / first;
    }
  }
}
