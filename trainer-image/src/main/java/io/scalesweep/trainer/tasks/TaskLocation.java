package io.scalesweep.trainer.tasks;

import io.scalesweep.api.InvalidSpecException;

/**
 * Which task an error is about, by name and by its place in the manifest, such as {@code
 * spec.finetune.tasks[1]}: with several tasks a user needs both to find the line to fix.
 */
record TaskLocation(String task, String path) {

  /** An error about one field of the task, e.g. {@code inputTemplate} or {@code train.uri}. */
  InvalidSpecException invalid(String field, String message) {
    String fieldPath = path + "." + field;
    return new InvalidSpecException(fieldPath, "task " + task + ": " + fieldPath + ": " + message);
  }

  /** The same error, its message prefixed with the task's name. */
  InvalidSpecException named(InvalidSpecException e) {
    return new InvalidSpecException(e.field(), "task " + task + ": " + e.getMessage());
  }
}
