package io.scalesweep.api.shape;

import java.util.Objects;

/**
 * One model a sweep trains: its Kubernetes name, its code in the paper's notation and its fully
 * resolved shape.
 *
 * @param name DNS-1123 label, unique within the sweep and stable across restarts
 * @param code canonical notation, for example {@code NL16-SM}
 * @param shape the shape with the sweep's overrides and vocabulary applied
 */
public record Trial(String name, String code, Shape shape) {

  public Trial {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(shape, "shape");
  }
}
