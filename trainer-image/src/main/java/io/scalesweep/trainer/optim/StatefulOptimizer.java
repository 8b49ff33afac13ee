package io.scalesweep.trainer.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
   *
   * @param parameters name-keyed, e.g. {@code block.getParameters()}; names key the state
   * @param learningRate this step's rate from the schedule
   * @return false when a gradient was not finite: then nothing changed (weights, state, step
   *     count, gradients), so the caller can look at the gradients and {@link #skip} the step
   */
  public final boolean step(PairList<String, Parameter> parameters, float learningRate) {
    return step(parameters, learningRate, null);
  }

  /**
   * As {@link #step(PairList, float)}, also refusing the update when {@code guard} (a scalar on
   * the parameters' device, such as the loss) is not finite. Finiteness is decided from one value
   * read back per step, after every update was computed and before any was applied: a per-step
   * gradient norm is not needed to keep NaN out of the weights.
   */
  public final boolean step(
      PairList<String, Parameter> parameters, float learningRate, NDArray guard) {
    try (NDManager stepScope = stateManager.newSubManager()) {
      scope = stepScope;
      List<NDArray> gradients = new ArrayList<>();
      List<Pending> pending = new ArrayList<>();
      NDList checks = new NDList();
      Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
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
        Pending update = prepare(p.getKey(), weight, gradient, learningRate, step + 1);
        gradients.add(gradient);
        pending.add(update);
        checks.add(update.check());
      }
      if (guard != null) {
        checks.add(guard.toType(DataType.FLOAT32, false).reshape(1));
      }
      // x * 0 is 0 for every finite x and NaN for NaN and both infinities: one read decides
      if (!checks.isEmpty() && !(allFinite(checks))) {
        return false;
      }
      step++;
      for (int i = 0; i < pending.size(); i++) {
        pending.get(i).apply();
        zero(gradients.get(i));
      }
      return true;
    } finally {
      scope = null;
    }
  }

  private static boolean allFinite(NDList checks) {
    NDList flat = new NDList(checks.size());
    for (NDArray c : checks) {
      flat.add(c.getShape().dimension() == 1 ? c : c.reshape(1));
    }
    return NDArrays.concat(flat).mul(0f).sum().getFloat() == 0f;
  }

  /** Exactly 0 also where the gradient is NaN or infinite, which g - g and g * 0 leave so. */
  private static void zero(NDArray gradient) {
    gradient.set(ALL, 0f);
  }

  /**
   * One parameter's update, computed in full before any weight changes: the step applies all or
   * none of them.
   */
  protected interface Pending {
    /** A scalar (or one-element array) that is finite exactly when the update is. */
    NDArray check();

    /** Changes the weight (and the state) in place. */
    void apply();
  }

  /**
   * Computes the update of {@code weight} without changing it or the state yet. Every array
   * reached from the arguments or {@link #slot} belongs to the step's scope, so results of
   * operations on them are freed after the step; keep what {@link Pending#apply} needs small
   * (vectors, scalars), because all parameters' pending updates are alive at once.
   *
   * @param step the 1-based number this update will have
   */
  protected Pending prepare(
      String name, NDArray weight, NDArray gradient, float learningRate, long step) {
    NDArray check = gradient.sum();
    return new Pending() {
      @Override
      public NDArray check() {
        return check;
      }

      @Override
      public void apply() {
        update(name, weight, gradient, learningRate, step);
      }
    };
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
   * Changes {@code weight} in place, for optimisers that keep the default {@link #prepare} (the
   * gradient is known to be finite here). Every array reached from the arguments or {@link
   * #slot} belongs to the step's scope, so results of operations on them are freed after the step.
   *
   * @param step the 1-based number of this update
   */
  protected void update(
      String name, NDArray weight, NDArray gradient, float learningRate, long step) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " overrides prepare");
  }

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
