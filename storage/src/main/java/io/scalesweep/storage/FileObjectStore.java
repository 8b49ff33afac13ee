package io.scalesweep.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Objects as plain files below a local folder (the local default, and shared volumes). Writes go
 * through {@link AtomicFiles}; folders exist only while they hold objects, as in S3. A key cannot
 * be both an object and a folder here ({@code a} and {@code a/b}), unlike in S3.
 */
public final class FileObjectStore implements ObjectStore {

  // a reader retries when the file is replaced while it opens it, see open()
  private static final int OPEN_ATTEMPTS = 10;

  private final Path root;
  private final String rootUri;

  public FileObjectStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    String path = this.root.toString();
    this.rootUri = "file://" + path + (path.endsWith("/") ? "" : "/");
  }

  @Override
  public String root() {
    return rootUri;
  }

  /** The local file that holds {@code key}. */
  public Path pathOf(String key) {
    return root.resolve(Keys.checkKey(key));
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    write(key, out -> out.write(bytes));
  }

  @Override
  public void put(String key, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no file to store as " + uriOf(key));
    }
    write(key, out -> Files.copy(file, out));
  }

  private void write(String key, AtomicFiles.Body body) throws IOException {
    Path target = pathOf(key);
    try {
      AtomicFiles.writeObject(target, body);
    } catch (IOException e) {
      throw new IOException(uriOf(key) + ": write failed: " + e, e);
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    try (InputStream in = open(key)) {
      return in.readAllBytes();
    }
  }

  /**
   * Opens the file together with the digest recorded on that same file. A writer may rename a new
   * file over the name between reading the digest and opening, so the file's identity (inode,
   * modification time, size) is read before and after; if it changed, try again.
   */
  @Override
  public InputStream open(String key) throws IOException {
    Path file = pathOf(key);
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      BasicFileAttributes before = attributes(file);
      if (before == null || !before.isRegularFile()) {
        throw new ObjectNotFoundException(uriOf(key));
      }
      InputStream in;
      String sha256;
      try {
        sha256 = FileDigests.read(file);
        in = Files.newInputStream(file);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (sameFile(before, attributes(file))) {
        return sha256 == null ? in : new VerifyingInputStream(in, sha256, uriOf(key));
      }
      in.close();
    }
    throw new IOException(
        uriOf(key) + ": replaced " + OPEN_ATTEMPTS + " times while being opened; giving up");
  }

  @Override
  public void download(String key, Path target) throws IOException {
    try (InputStream in = open(key)) {
      AtomicFiles.replaceCopy(target, in::transferTo);
    }
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(pathOf(key), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public long size(String key) throws IOException {
    try {
      return Files.size(pathOf(key));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ObjectNotFoundException(uriOf(key), e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    Keys.checkPrefix(prefix);
    // only the folder holding the prefix's last segment can contain matches
    int slash = prefix.lastIndexOf('/');
    Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    Files.walkFileTree(start, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String folder = Keys.asFolder(keyFor(dir));
        boolean mayMatch = folder.startsWith(prefix) || prefix.startsWith(folder);
        return mayMatch ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        String key = keyFor(file);
        if (attrs.isRegularFile()
            && key.startsWith(prefix)
            && !file.getFileName().toString().startsWith(Keys.TEMP_PREFIX)) {
          keys.add(key);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE; // deleted while we walked: not there, as S3 would say
        }
        throw e;
      }
    });
    Collections.sort(keys);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    Path file = pathOf(key);
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return; // a folder of other objects, not an object: nothing named key to delete
    }
    Files.deleteIfExists(file);
    pruneEmptyFolders(file.getParent());
  }

  @Override
  public int deletePrefix(String prefix) throws IOException {
    List<String> keys = list(prefix);
    int deleted = 0;
    for (String key : keys) {
      if (Files.deleteIfExists(pathOf(key))) {
        deleted++;
      }
    }
    // deepest first, so a parent is tried after its children
    for (int i = keys.size() - 1; i >= 0; i--) {
      pruneEmptyFolders(pathOf(keys.get(i)).getParent());
    }
    return deleted;
  }

  /**
   * Accepts {@code file:///p}, {@code file:/p} and plain absolute paths, since all three name the
   * same file.
   */
  @Override
  public String keyOf(String uri) {
    Path path = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
    Path normal = path.toAbsolutePath().normalize();
    if (!normal.startsWith(root) || normal.equals(root)) {
      throw new IllegalArgumentException(uri + " is not an object below " + rootUri);
    }
    return Keys.checkKey(keyFor(normal));
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FileObjectStore[" + rootUri + "]";
  }

  private String keyFor(Path path) {
    return root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
  }

  private void pruneEmptyFolders(Path folder) throws IOException {
    for (Path dir = folder; dir != null && dir.startsWith(root) && !dir.equals(root);
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (NoSuchFileException e) {
        // pruned already by a concurrent delete; its parent may still be empty
      }
    }
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static boolean sameFile(BasicFileAttributes a, BasicFileAttributes b) {
    return b != null
        && Objects.equals(a.fileKey(), b.fileKey())
        && a.lastModifiedTime().equals(b.lastModifiedTime())
        && a.size() == b.size();
  }
}
