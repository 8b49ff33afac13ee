package io.scalesweep.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Objects below one root URI ({@code s3://bucket/prefix/} or {@code file:///path/}), addressed by
 * keys relative to that root: '/'-separated names such as {@code
 * checkpoints/step-5000/manifest.json}.
 *
 * <p>Guarantees every implementation gives:
 *
 * <ul>
 *   <li>Writes are atomic: a reader sees the previous object or the new one in full, never a
 *       part (S3 PUT and completed multipart uploads are atomic; files are written to a temporary
 *       name and renamed). A failed write leaves the previous object, or none.
 *   <li>Every write records the SHA-256 of the bytes; every full read of such an object checks it
 *       and fails with {@link ChecksumMismatchException} on a difference. Objects written by other
 *       tools carry no SHA-256 and are read unchecked.
 *   <li>Reading a missing object fails with {@link ObjectNotFoundException} naming its URI;
 *       deleting a missing object or an empty prefix succeeds (deletion is idempotent).
 *   <li>Keys are validated: no leading '/', no empty, "." or ".." segment (see {@link Keys}).
 *   <li>Stores are safe to use from several threads at once.
 *   <li>A write interrupted (a pod shutting down) fails and leaves no partial object; a multipart
 *       upload is aborted first, and the thread's interrupt flag is kept.
 * </ul>
 *
 * <p>Open one with {@link ObjectStores#open}; close it to release its HTTP connections.
 */
public interface ObjectStore extends AutoCloseable {

  /** The root URI, ending with '/'. */
  String root();

  /** Writes {@code bytes} as the object {@code key}, replacing any previous one atomically. */
  void put(String key, byte[] bytes) throws IOException;

  /**
   * Copies a local file into the object {@code key}, streaming it (S3: multipart upload above the
   * configured threshold, aborted on failure so that no partial object appears).
   */
  void put(String key, Path file) throws IOException;

  /** The whole object, checksum-verified. */
  byte[] get(String key) throws IOException;

  /**
   * A stream over the object; the checksum is verified when the reader reaches the end, so the
   * last {@code read} of a corrupted object throws {@link ChecksumMismatchException}.
   */
  InputStream open(String key) throws IOException;

  /**
   * Copies the object into a local file, checksum-verified; {@code target} is replaced atomically
   * and only once the copy is complete and verified.
   */
  void download(String key, Path target) throws IOException;

  boolean exists(String key) throws IOException;

  /** The object's size in bytes. @throws ObjectNotFoundException when it does not exist */
  long size(String key) throws IOException;

  /**
   * Keys starting with {@code prefix} (plain string prefix, as in S3: {@code "checkpoints/step-"}
   * matches every checkpoint's files), at any depth, sorted. {@code ""} lists everything.
   */
  List<String> list(String prefix) throws IOException;

  /** Deletes the object; succeeds when there is none. */
  void delete(String key) throws IOException;

  /** Deletes every object {@link #list} would return for {@code prefix}; returns how many. */
  int deletePrefix(String prefix) throws IOException;

  /** The absolute URI of {@code key}, e.g. for logs, the catalog or {@code result.json}. */
  default String uriOf(String key) {
    return root() + Keys.checkKey(key);
  }

  /**
   * The key of an absolute URI below this store's root, e.g. one built with {@code
   * StorageLayout}; the inverse of {@link #uriOf}.
   *
   * @throws IllegalArgumentException when the URI is not below the root
   */
  default String keyOf(String uri) {
    String root = root();
    if (!uri.startsWith(root) || uri.length() == root.length()) {
      throw new IllegalArgumentException(uri + " is not an object below " + root);
    }
    return Keys.checkKey(uri.substring(root.length()));
  }

  @Override
  void close();
}
