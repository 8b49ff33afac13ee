package io.scalesweep.storage;

import java.io.IOException;

/**
 * The bytes read back differ from the SHA-256 recorded when the object was written: the object was
 * corrupted at rest or in transit, or replaced behind the store's back.
 */
public class ChecksumMismatchException extends IOException {

  private final String uri;
  private final String expected;
  private final String actual;

  public ChecksumMismatchException(String uri, String expected, String actual) {
    super(uri + ": checksum mismatch, SHA-256 recorded at write " + expected + ", read " + actual);
    this.uri = uri;
    this.expected = expected;
    this.actual = actual;
  }

  public String uri() {
    return uri;
  }

  /** Hex SHA-256 recorded when the object was written. */
  public String expected() {
    return expected;
  }

  /** Hex SHA-256 of the bytes actually read. */
  public String actual() {
    return actual;
  }
}
