package io.scalesweep.trainer.train;

import io.scalesweep.storage.ObjectNotFoundException;
import io.scalesweep.storage.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A trial's output in object storage (s3:// or any store the storage module opens). Objects are
 * staged in a local temporary file and uploaded whole, so a reader sees each one complete or not
 * at all, and a large checkpoint goes up as a multipart upload.
 */
public final class ObjectStoreTrialOutput implements TrialOutput, AutoCloseable {

  private final ObjectStore store;

  public ObjectStoreTrialOutput(ObjectStore store) {
    this.store = store;
  }

  @Override
  public void put(String name, Content content) throws IOException {
    Path staged = Files.createTempFile("scalesweep-upload", ".part");
    try {
      try (OutputStream out = Files.newOutputStream(staged)) {
        content.writeTo(out);
      }
      store.put(name, staged);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  /** Object stores cannot append: the object is rewritten, which is fine for a log line per step. */
  @Override
  public void append(String name, byte[] bytes) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    if (store.exists(name)) {
      all.write(store.get(name));
    }
    all.write(bytes);
    store.put(name, all.toByteArray());
  }

  @Override
  public InputStream get(String name) throws IOException {
    try {
      return store.open(name);
    } catch (ObjectNotFoundException e) {
      throw notFound(name, e);
    }
  }

  @Override
  public boolean exists(String name) throws IOException {
    return store.exists(name);
  }

  @Override
  public long size(String name) throws IOException {
    try {
      return store.size(name);
    } catch (ObjectNotFoundException e) {
      throw notFound(name, e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    return store.list(prefix);
  }

  @Override
  public void deleteAll(String prefix) throws IOException {
    store.deletePrefix(prefix);
  }

  /** For messages, so folders (checkpoints/step-10/) are fine too, unlike the store's uriOf. */
  @Override
  public String locate(String name) {
    return store.root() + name;
  }

  @Override
  public void close() {
    store.close();
  }

  private NoSuchFileException notFound(String name, ObjectNotFoundException cause) {
    NoSuchFileException e = new NoSuchFileException(locate(name));
    e.initCause(cause);
    return e;
  }
}
