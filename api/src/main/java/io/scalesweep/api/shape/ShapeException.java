package io.scalesweep.api.shape;

import io.scalesweep.api.InvalidSpecException;

/** An invalid shape, sweep or notation, naming the offending field. */
public class ShapeException extends InvalidSpecException {

  public ShapeException(String field, String message) {
    super(field, message);
  }
}
