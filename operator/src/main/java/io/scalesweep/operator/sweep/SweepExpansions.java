package io.scalesweep.operator.sweep;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.shape.SweepExpander;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.operator.common.BoundedMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's trials, expanded once per generation of its spec. A sweep is reconciled on every
 * change of any of its trials, and a 2,000-trial sweep's expansion (shapes, names, parameter and
 * FLOP counts) is the largest part of such a pass; the spec it comes from only changes with the
 * generation. Bounded, so that deleted sweeps cannot accumulate.
 */
final class SweepExpansions {

  static final int SWEEPS = 256;

  private record Expanded(Long generation, List<Trial> trials) {}

  private final Map<String, Expanded> byUid = BoundedMap.synchronizedLru(SWEEPS);

  List<Trial> trials(ScalingSweep sweep) throws InvalidSpecException {
    String uid = sweep.getMetadata().getUid();
    Long generation = sweep.getMetadata().getGeneration();
    Expanded cached = uid == null ? null : byUid.get(uid);
    if (cached != null && generation != null && generation.equals(cached.generation())) {
      return cached.trials();
    }
    List<Trial> trials = List.copyOf(SweepExpander.expand(sweep.getMetadata().getName(), sweep.getSpec()));
    if (uid != null && generation != null) {
      byUid.put(uid, new Expanded(generation, trials));
    }
    return trials;
  }

  /** Drops the expansions of sweeps whose UID is not in {@code live}. */
  void retainOnly(Set<String> live) {
    synchronized (byUid) {
      byUid.keySet().retainAll(live);
    }
  }
}
