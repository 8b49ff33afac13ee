package io.scalesweep.api;

/**
 * A manifest, trial or shape that cannot be run. Carries the path of the offending field (for
 * example {@code spec.scaling[1].values}) so every front end can name it: the CLI prints it and
 * exits with code 2, the operator turns it into an InvalidSpec condition, the trainer exits with
 * {@code TrainerContract.EXIT_INVALID_TRIAL}.
 */
public class InvalidSpecException extends IllegalArgumentException {

  private final String field;

  public InvalidSpecException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field the error is about, as a path a user can find in their manifest. */
  public String field() {
    return field;
  }
}
