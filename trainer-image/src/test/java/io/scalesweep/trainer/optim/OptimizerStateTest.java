package io.scalesweep.trainer.optim;

import static io.scalesweep.trainer.optim.TestParameters.list;
import static io.scalesweep.trainer.optim.TestParameters.parameter;
import static io.scalesweep.trainer.optim.TestParameters.setGradients;
import static io.scalesweep.trainer.optim.TestParameters.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A checkpoint of the optimiser (through safetensors bytes) continues bit for bit. */
class OptimizerStateTest {

  private static final float[] MATRIX = {0.5f, -1.0f, 2.0f, 1.5f, 0.25f, -0.75f};
  private static final float[] VECTOR = {0.3f, -0.2f, 0.9f};

  @Test
  void adafactorWithEverySlotResumesBitIdentically() {
    assertResumesExactly(() -> Adafactor.builder().minDimSizeToFactor(1).beta1(0.9f).build());
  }

  @Test
  void adamwResumesBitIdentically() {
    assertResumesExactly(AdamW::new);
  }

  @Test
  void stateOfAnotherOptimizerIsRefused() {
    try (NDManager m = NDManager.newBaseManager();
        AdamW adamw = new AdamW();
        Adafactor adafactor = Adafactor.t5()) {
      ParameterList params = list(parameter(m, "w", VECTOR, 3));
      setGradients(m, params, VECTOR);
      adamw.step(params, 0.1f);
      try (NDList saved = adamw.saveState(m)) {
        assertThatThrownBy(() -> adafactor.loadState(saved))
            .hasMessageContaining("saved by adamw, not adafactor");
      }
    }
  }

  // A resumed run closes the decoded checkpoint arrays right after loading; state that still
  // pointed into them would read freed memory (in a real run: heap corruption and a JVM abort).
  @Test
  void loadedStateOwnsItsMemory() {
    try (NDManager m = NDManager.newBaseManager();
        Adafactor first = Adafactor.builder().minDimSizeToFactor(1).build();
        Adafactor resumed = Adafactor.builder().minDimSizeToFactor(1).build()) {
      ParameterList params = list(parameter(m, "w", MATRIX, 2, 3));
      setGradients(m, params, MATRIX);
      first.step(params, 0.1f);
      try (NDList saved = first.saveState(m)) {
        resumed.loadState(saved);
        saved.forEach(a -> a.muli(0));
      }
      try (NDList expected = first.saveState(m); NDList actual = resumed.saveState(m)) {
        for (int i = 0; i < expected.size(); i++) {
          assertThat(actual.get(i).contentEquals(expected.get(i))).as(expected.get(i).getName()).isTrue();
        }
      }
    }
  }

  private static void assertResumesExactly(Supplier<StatefulOptimizer> factory) {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter w = parameter(m, "w", MATRIX, 2, 3);
      Parameter s = parameter(m, "s", VECTOR, 3);
      ParameterList params = list(w, s);
      byte[] checkpoint;
      float[] wAtCheckpoint;
      float[] sAtCheckpoint;
      float[] wUninterrupted;
      float[] sUninterrupted;
      try (StatefulOptimizer first = factory.get()) {
        for (int k = 0; k < 3; k++) {
          step(m, first, params, k);
        }
        try (NDManager out = NDManager.newBaseManager(); NDList state = first.saveState(out)) {
          checkpoint = state.encode(NDList.Encoding.SAFETENSORS);
        }
        wAtCheckpoint = values(w);
        sAtCheckpoint = values(s);
        for (int k = 3; k < 6; k++) {
          step(m, first, params, k);
        }
        wUninterrupted = values(w);
        sUninterrupted = values(s);
      }

      Parameter w2 = parameter(m, "w", wAtCheckpoint, 2, 3);
      Parameter s2 = parameter(m, "s", sAtCheckpoint, 3);
      ParameterList resumedParams = list(w2, s2);
      try (StatefulOptimizer resumed = factory.get();
          NDManager in = NDManager.newBaseManager();
          NDList state = NDList.decode(in, checkpoint)) {
        resumed.loadState(state);
        assertThat(resumed.steps()).isEqualTo(3);
        for (int k = 3; k < 6; k++) {
          step(m, resumed, resumedParams, k);
        }
      }
      assertThat(values(w2)).isEqualTo(wUninterrupted);
      assertThat(values(s2)).isEqualTo(sUninterrupted);

      // control: without the state the same steps land elsewhere
      Parameter w3 = parameter(m, "w", wAtCheckpoint, 2, 3);
      Parameter s3 = parameter(m, "s", sAtCheckpoint, 3);
      try (StatefulOptimizer fresh = factory.get()) {
        for (int k = 3; k < 6; k++) {
          step(m, fresh, list(w3, s3), k);
        }
      }
      assertThat(values(w3)).isNotEqualTo(wUninterrupted);
    }
  }

  private static void step(NDManager m, StatefulOptimizer o, ParameterList params, int k) {
    float[] gw = new float[6];
    float[] gs = new float[3];
    for (int i = 0; i < 6; i++) {
      gw[i] = (float) Math.sin(1.3 * k + i);
    }
    for (int i = 0; i < 3; i++) {
      gs[i] = (float) Math.cos(0.7 * k - i);
    }
    setGradients(m, params, gw, gs);
    o.step(params, 0.05f);
  }
}
