package io.scalesweep.trainer.train;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A trial's output in a local folder. Objects are written to a temporary file beside their final
 * name and renamed into place, so a process killed mid-write leaves no truncated file under the
 * real name (only a {@code .tmp-} file that listings skip and the next write of the same name
 * replaces).
 */
public final class LocalTrialOutput implements TrialOutput {

  private static final String TEMP_PREFIX = ".tmp-";

  private final Path root;

  public LocalTrialOutput(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  @Override
  public void put(String name, Content content) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling(TEMP_PREFIX + target.getFileName());
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
      content.writeTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void append(String name, byte[] bytes) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    Files.write(target, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Override
  public InputStream get(String name) throws IOException {
    return Files.newInputStream(resolve(name));
  }

  @Override
  public boolean exists(String name) {
    return Files.isRegularFile(resolve(name));
  }

  @Override
  public long size(String name) throws IOException {
    return Files.size(resolve(name));
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith(TEMP_PREFIX))
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .filter(n -> n.startsWith(prefix))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void deleteAll(String prefix) throws IOException {
    List<Path> folders = new ArrayList<>();
    for (String name : list(prefix)) {
      Path file = resolve(name);
      Files.deleteIfExists(file);
      folders.add(file.getParent());
    }
    // Leave no empty folders behind a pruned checkpoint.
    for (Path folder : folders) {
      deleteEmptyUpTo(folder);
    }
  }

  private void deleteEmptyUpTo(Path folder) throws IOException {
    for (Path f = folder; f != null && f.startsWith(root) && !f.equals(root); f = f.getParent()) {
      if (!Files.isDirectory(f)) {
        continue;
      }
      try (Stream<Path> entries = Files.list(f)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(f);
    }
  }

  @Override
  public String locate(String name) {
    return resolve(name).toString();
  }

  private Path resolve(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("object name " + name + " leaves the output folder");
    }
    return p;
  }
}
