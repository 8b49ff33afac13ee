package io.scalesweep.operator.storage;

/** Object storage cannot be reached as configured (e.g. its Secret is missing); retried later. */
public class StorageUnavailableException extends RuntimeException {

  public StorageUnavailableException(String message) {
    super(message);
  }
}
