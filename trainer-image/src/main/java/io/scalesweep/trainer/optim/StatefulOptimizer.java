package io.scalesweep.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An optimiser that owns its state so checkpoints can hold it: DJL's optimisers keep their
 * moments private. State arrays are named {@code <parameter>.<slot>}, plus {@link #STEP_KEY} and
 * a marker {@code optimizer.kind.<kind>} so that a state is never loaded into another optimiser.
 *
 * <p>Memory: every step runs in a sub-manager that the parameters, their gradients and the state
 * are temporarily attached to, so temporaries never land in the model's manager (where DJL would
 * keep them until the model closes) and a capped model manager is fine.
 */
public abstract class StatefulOptimizer implements AutoCloseable {

  /** Name of the update counter in {@link #saveState}. */
  public static final String STEP_KEY = "optimizer.step";
  /** Prefix of the entry naming the optimiser ({@code optimizer.kind.adafactor}). */
  public static final String KIND_PREFIX = "optimizer.kind.";

  private static final NDIndex ALL = new NDIndex("...");

  private final NDManager stateManager = NDManager.newBaseManager();
  private final Map<String, NDArray> state = new LinkedHashMap<>();
  private NDManager scope;
  private long step;

  /**
   * Applies one update to every parameter that has a gradient, then zeroes the gradients (the
   * PyTorch engine adds gradients up across backward passes, so the next step starts clean).
   * Gradients must be finite: a caller that finds them otherwise calls {@link #skip} instead.
   *
   * @param parameters name-keyed, e.g. {@code block.getParameters()}; names key the state
   * @param learningRate this step's rate from the schedule
   */
  public final void step(PairList<String, Parameter> parameters, float learningRate) {
    step++;
    Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    try (NDManager stepScope = stateManager.newSubManager()) {
      scope = stepScope;
      for (Pair<String, Parameter> p : parameters) {
        Parameter parameter = p.getValue();
        if (!parameter.requiresGradient() || !parameter.isInitialized()) {
          continue;
        }
        NDArray weight = parameter.getArray();
        // a parameter shared under two names is updated once
        if (!weight.hasGradient() || !seen.add(weight)) {
          continue;
        }
        weight.tempAttach(stepScope);
        NDArray gradient = weight.getGradient(); // lands in stepScope through the weight
        update(p.getKey(), weight, gradient, learningRate, step);
        // Finite here (see above), so g - g is exactly 0: one kernel, no indexer on the hot path.
        gradient.subi(gradient);
      }
    } finally {
      scope = null;
    }
  }

  /**
   * Counts a step without changing any weight or state, and zeroes the gradients: what a training
   * loop does with a batch whose gradient is not finite. The step still counts for the decay
   * schedules, as the global step of Mesh TensorFlow does.
   */
  public final void skip(PairList<String, Parameter> parameters) {
    step++;
    zeroGradients(parameters);
  }

  /**
   * Sets every gradient to exactly 0, also where it is NaN or infinite (which {@code g - g} and
   * {@code g * 0} leave NaN).
   */
  public static void zeroGradients(PairList<String, Parameter> parameters) {
    try (NDManager scope = NDManager.newBaseManager()) {
      for (NDArray gradient : GradientClipping.gradients(parameters, scope)) {
        gradient.set(ALL, 0f);
      }
    }
  }

  /**
   * Changes {@code weight} in place. Every array reached from the arguments or {@link #slot}
   * belongs to the step's scope, so results of operations on them are freed after the step.
   *
   * @param step the 1-based number of this update
   */
  protected abstract void update(
      String name, NDArray weight, NDArray gradient, float learningRate, long step);

  /** Short name saved with the state, the recipe's spelling ({@code adafactor}, {@code adamw}). */
  public abstract String kind();

  /** Slot names this optimiser saves, checked on load. */
  protected abstract Set<String> slotNames();

  /** The state array {@code <name>.<slot>}, zero the first time, on the weight's device. */
  protected final NDArray slot(String name, String slot, Shape shape, Device device) {
    String key = name + "." + slot;
    NDArray a = state.get(key);
    if (a == null) {
      a = stateManager.zeros(shape, DataType.FLOAT32, device);
      state.put(key, a);
    } else if (!a.getShape().equals(shape)) {
      throw new IllegalStateException(
          "optimizer state " + key + " has shape " + a.getShape() + ", parameter needs " + shape);
    } else if (!a.getDevice().equals(device)) {
      NDArray moved = a.toDevice(device, true);
      moved.attach(stateManager);
      a.close();
      state.put(key, moved);
      a = moved;
    }
    if (a.getManager() != scope) {
      a.tempAttach(scope);
    }
    return a;
  }

  /** Updates applied so far. */
  public final long steps() {
    return step;
  }

  /**
   * Copies of the state, named for a name-keyed checkpoint (e.g. safetensors), attached to
   * {@code target}: the caller closes them.
   */
  public final NDList saveState(NDManager target) {
    NDList out = new NDList(state.size() + 1);
    NDArray counter = target.create(new long[] {step});
    counter.setName(STEP_KEY);
    out.add(counter);
    NDArray marker = target.create(new long[] {0});
    marker.setName(KIND_PREFIX + kind());
    out.add(marker);
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      NDArray copy = e.getValue().duplicate();
      copy.attach(target);
      copy.setName(e.getKey());
      out.add(copy);
    }
    return out;
  }

  /** Replaces the state by copies of a {@link #saveState} result; the list stays the caller's. */
  public final void loadState(NDList saved) {
    String savedKind = saved.stream()
        .map(NDArray::getName)
        .filter(n -> n != null && n.startsWith(KIND_PREFIX))
        .map(n -> n.substring(KIND_PREFIX.length()))
        .findFirst()
        .orElse(null);
    if (!kind().equals(savedKind)) {
      throw new IllegalArgumentException(
          "optimizer state was saved by " + (savedKind == null ? "an unknown optimizer" : savedKind)
              + ", not " + kind() + "; was it saved by another optimizer?");
    }
    Long loadedStep = null;
    Map<String, NDArray> loaded = new LinkedHashMap<>();
    for (NDArray a : saved) {
      String key = a.getName();
      if (STEP_KEY.equals(key)) {
        loadedStep = a.toType(DataType.INT64, false).toLongArray()[0];
        continue;
      }
      if (key != null && key.startsWith(KIND_PREFIX)) {
        continue;
      }
      int dot = key == null ? -1 : key.lastIndexOf('.');
      if (dot < 0 || !slotNames().contains(key.substring(dot + 1))) {
        loaded.values().forEach(NDArray::close);
        throw new IllegalArgumentException(
            "optimizer state entry '" + key + "' is not a " + getClass().getSimpleName()
                + " slot " + slotNames() + "; was it saved by another optimizer?");
      }
      // toType(.., copy=true) returns the same storage when the type already matches, and an
      // array decoded from a file points into a Java buffer freed once the caller closes it:
      // only duplicate() gives the state memory of its own.
      NDArray copy = a.toType(DataType.FLOAT32, false).duplicate();
      copy.attach(stateManager);
      loaded.put(key, copy);
    }
    if (loadedStep == null) {
      loaded.values().forEach(NDArray::close);
      throw new IllegalArgumentException("optimizer state has no " + STEP_KEY + " entry");
    }
    state.values().forEach(NDArray::close);
    state.clear();
    state.putAll(loaded);
    step = loadedStep;
  }

  /** For tests: the manager holding the state, to watch for leaks. */
  NDManager stateManager() {
    return stateManager;
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
