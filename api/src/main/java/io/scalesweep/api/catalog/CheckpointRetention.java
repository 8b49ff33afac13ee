package io.scalesweep.api.catalog;

import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Which checkpoint folders of a finished trial to keep under a {@code keepCheckpoints} policy, for
 * the operator and {@code scalesweep run} alike: a pure function of the trial's object keys. Only
 * the newest complete checkpoint (its manifest present) can stay, and objects that are not {@code
 * step-N/} folders are never touched.
 */
public final class CheckpointRetention {

  private CheckpointRetention() {}

  /**
   * @param kept the newest complete checkpoint folder that stays (null when none does)
   * @param discard folders to delete, each a key prefix ending with '/'
   */
  public record Plan(String kept, List<String> discard) {}

  /**
   * @param checkpointsPrefix the trial's {@code .../checkpoints/} key prefix
   * @param keys every key under it
   * @param onFrontier whether the trial is on a Pareto frontier (only {@code pareto} asks)
   */
  public static Plan plan(KeepCheckpoints policy, String checkpointsPrefix, List<String> keys, boolean onFrontier) {
    // step -> folder, and the steps whose manifest exists; a TreeMap sorts steps numerically
    TreeMap<Long, String> folders = new TreeMap<>();
    TreeMap<Long, String> complete = new TreeMap<>();
    for (String key : keys) {
      if (!key.startsWith(checkpointsPrefix)) {
        continue;
      }
      String rest = key.substring(checkpointsPrefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        continue;
      }
      Long step = step(rest.substring(0, slash));
      if (step == null) {
        continue;
      }
      String folder = checkpointsPrefix + rest.substring(0, slash + 1);
      folders.put(step, folder);
      if (rest.substring(slash + 1).equals(StorageLayout.CHECKPOINT_MANIFEST)) {
        complete.put(step, folder);
      }
    }
    String newest = complete.isEmpty() ? null : complete.lastEntry().getValue();
    KeepCheckpoints effective = policy == null ? KeepCheckpoints.FINAL : policy;
    String kept = switch (effective) {
      case ALL, FINAL -> newest;
      case PARETO -> onFrontier ? newest : null;
    };
    if (effective == KeepCheckpoints.ALL) {
      return new Plan(kept, List.of());
    }
    List<String> discard = new ArrayList<>();
    for (String folder : folders.values()) {
      if (!folder.equals(kept)) {
        discard.add(folder);
      }
    }
    return new Plan(kept, List.copyOf(discard));
  }

  private static Long step(String name) {
    if (!name.startsWith(StorageLayout.CHECKPOINT_PREFIX)) {
      return null;
    }
    try {
      return Long.parseLong(name.substring(StorageLayout.CHECKPOINT_PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
