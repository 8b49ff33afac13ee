package io.scalesweep.api.resources;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.ShapeResourceRule;
import io.scalesweep.api.v1alpha1.SweepResourcesSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules of {@code spec.resources.byShape}: their cross-field checks, which the schema's CEL
 * rules also make (this side serves the CLI, which has no API server, and sweeps created before the
 * rules existed in the CRD), and which rule a trial matches.
 */
public final class ShapeRules {

  static final String PATH = "spec.resources.byShape";

  private ShapeRules() {}

  /** The rules, or none. */
  public static List<ShapeResourceRule> of(SweepResourcesSpec resources) {
    return resources == null || resources.getByShape() == null ? List.of() : resources.getByShape();
  }

  /** The first thing wrong with the rules, naming the field. */
  public static Optional<InvalidSpecException> problem(SweepResourcesSpec resources) {
    List<ShapeResourceRule> rules = of(resources);
    if (rules.size() > SweepResourcesSpec.MAX_RULES) {
      return refuse(PATH, PATH + " may have at most " + SweepResourcesSpec.MAX_RULES + " rules (got " + rules.size() + ")");
    }
    for (int i = 0; i < rules.size(); i++) {
      ShapeResourceRule r = rules.get(i);
      String at = PATH + "[" + i + "]";
      if ((r.getMaxParams() == null) == (r.getMaxFlopsPerStep() == null)) {
        return refuse(at, at + ": give exactly one bound: maxParams or maxFlopsPerStep");
      }
      if (r.getGpus() == null || r.getGpus() < 0) {
        return refuse(at + ".gpus", at + ".gpus is required and must be at least 0 (got " + r.getGpus() + ")");
      }
    }
    boolean byParams = !rules.isEmpty() && rules.get(0).getMaxParams() != null;
    Function<ShapeResourceRule, Long> bound = byParams ? ShapeResourceRule::getMaxParams : ShapeResourceRule::getMaxFlopsPerStep;
    String field = byParams ? "maxParams" : "maxFlopsPerStep";
    for (int i = 1; i < rules.size(); i++) {
      String at = PATH + "[" + i + "]." + field;
      Long here = bound.apply(rules.get(i));
      if (here == null) {
        return refuse(at, PATH + ": bound every rule by the same measure: all maxParams or all maxFlopsPerStep ("
            + PATH + "[0] uses " + field + ", " + PATH + "[" + i + "] does not)");
      }
      long previous = bound.apply(rules.get(i - 1));
      if (here <= previous) {
        return refuse(at, at + " must be greater than " + PATH + "[" + (i - 1) + "]." + field + " (" + previous
            + "), got " + here + ": bounds strictly increase, since the first matching rule wins");
      }
    }
    return Optional.empty();
  }

  /**
   * The index of the first rule whose bound the trial is within, or -1 for the sweep's plain
   * resources. Assumes {@link #problem} found nothing.
   */
  public static int match(SweepResourcesSpec resources, long params, long flopsPerStep) {
    List<ShapeResourceRule> rules = of(resources);
    for (int i = 0; i < rules.size(); i++) {
      ShapeResourceRule r = rules.get(i);
      long bound = r.getMaxParams() != null ? r.getMaxParams() : r.getMaxFlopsPerStep();
      long cost = r.getMaxParams() != null ? params : flopsPerStep;
      if (cost <= bound) {
        return i;
      }
    }
    return -1;
  }

  private static Optional<InvalidSpecException> refuse(String field, String message) {
    return Optional.of(new InvalidSpecException(field, message));
  }
}
