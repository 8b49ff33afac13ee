package io.scalesweep.trainer.data;

/** Bad training data or tokenizer input; the message names the file, line or field at fault. */
public class DataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
