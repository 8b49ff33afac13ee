package io.scalesweep.operator.common;

import io.scalesweep.api.InvalidSpecException;

/** How an invalid field is reported in a condition message: the field first, always. */
public final class InvalidSpecs {

  private InvalidSpecs() {}

  /** {@code <field>: <problem>}, without repeating the field when the message starts with it. */
  public static String describe(InvalidSpecException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return message.startsWith(e.field()) ? message : e.field() + ": " + message;
  }
}
