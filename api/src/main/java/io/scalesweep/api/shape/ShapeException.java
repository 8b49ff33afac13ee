package io.scalesweep.api.shape;

/**
 * An invalid shape, sweep or notation. Carries the offending field's path (for example {@code
 * spec.scaling[1].values} or {@code kvHeads}) so every front end, the CLI, the operator's
 * conditions and the trainer, can name it to the user.
 */
public class ShapeException extends IllegalArgumentException {

  private final String field;

  public ShapeException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field the error is about, as a path a user can find in their manifest. */
  public String field() {
    return field;
  }
}
