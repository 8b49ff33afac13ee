package io.scalesweep.trainer.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where one trial writes: a flat namespace of objects named by slash-separated relative paths
 * ({@code metrics.jsonl}, {@code checkpoints/step-10/state.json}). Kept to what an object store can
 * do, so an S3-backed implementation can replace the local one without the trainer knowing.
 */
public interface TrialOutput {

  /** Streams an object's content; may be called once per write. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Creates or replaces {@code name}. Readers never see a half-written object under that name: it
   * appears whole or not at all (an object store's PUT; a rename on a file system).
   */
  void put(String name, Content content) throws IOException;

  default void put(String name, byte[] bytes) throws IOException {
    put(name, out -> out.write(bytes));
  }

  /**
   * Adds {@code bytes} at the end of {@code name}, creating it when absent. An object store
   * implements this by rewriting the object, so callers append rarely (once per logged step).
   */
  void append(String name, byte[] bytes) throws IOException;

  /** Opens an object for reading. @throws java.nio.file.NoSuchFileException when it is absent */
  InputStream get(String name) throws IOException;

  default byte[] readAll(String name) throws IOException {
    try (InputStream in = get(name)) {
      return in.readAllBytes();
    }
  }

  boolean exists(String name) throws IOException;

  /** Size in bytes. @throws java.nio.file.NoSuchFileException when it is absent */
  long size(String name) throws IOException;

  /** Names of all objects whose name starts with {@code prefix}, sorted. */
  List<String> list(String prefix) throws IOException;

  /** Removes every object whose name starts with {@code prefix} (pruning old checkpoints). */
  void deleteAll(String prefix) throws IOException;

  /** Where {@code name} lives, for messages: a path or URI a person can look up. */
  String locate(String name);
}
