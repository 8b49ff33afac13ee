package io.scalesweep.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.function.BiFunction;

/**
 * One array that depends only on sequence length, such as position buckets or a causal mask, kept
 * on the device instead of being rebuilt and uploaded every step. Its last two dimensions are
 * square and a block of any size is the top-left corner of a bigger one (entry i, j depends on
 * j - i only), so one array of the largest length seen serves every shorter one: the cache holds
 * one array however many lengths a run sees.
 *
 * <p>It lives in a manager of the cache's own, never the model's (which is capped) nor a step's
 * (which closes after the step), and {@link #close} frees it. Used from one thread at a time, like
 * the rest of the model.
 */
public final class ConstantCache implements AutoCloseable {

  private final BiFunction<NDManager, Integer, NDArray> make;
  private NDManager manager;
  private NDArray array;
  private int size;

  /** @param make the square array of the given length, created in the given manager */
  public ConstantCache(BiFunction<NDManager, Integer, NDArray> make) {
    this.make = make;
  }

  /**
   * The {@code [.., rows, cols]} block. When it is the whole cached array it is returned as is:
   * an operation's result joins the manager of its first operand, so a caller that puts it first
   * attaches the result to its own manager. A smaller block is a view already attached to {@code
   * caller}.
   */
  public NDArray block(NDManager caller, int rows, int cols) {
    Device device = caller.getDevice();
    int needed = Math.max(rows, cols);
    if (array == null || size < needed || !array.getDevice().equals(device)) {
      close();
      manager = NDManager.newBaseManager(device);
      array = make.apply(manager, needed);
      size = needed;
    }
    if (rows == size && cols == size) {
      return array;
    }
    NDArray view = array.get(new NDIndex("..., :{}, :{}", rows, cols));
    view.attach(caller);
    return view;
  }

  @Override
  public void close() {
    if (manager != null) {
      manager.close();
    }
    manager = null;
    array = null;
    size = 0;
  }
}
