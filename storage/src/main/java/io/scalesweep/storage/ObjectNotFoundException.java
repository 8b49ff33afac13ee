package io.scalesweep.storage;

import java.io.IOException;

/** The object a read asked for does not exist; carries its full URI. */
public class ObjectNotFoundException extends IOException {

  private final String uri;

  public ObjectNotFoundException(String uri) {
    this(uri, null);
  }

  public ObjectNotFoundException(String uri, Throwable cause) {
    super(uri + ": no such object", cause);
    this.uri = uri;
  }

  /** The full URI of the missing object. */
  public String uri() {
    return uri;
  }
}
