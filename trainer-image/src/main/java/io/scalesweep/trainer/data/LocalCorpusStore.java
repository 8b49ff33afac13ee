package io.scalesweep.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Corpus files on the local file system, by plain path or {@code file://} URI. Folders are walked
 * recursively; names starting with '.' or '_' are skipped (editor files, Hadoop/Spark markers
 * such as {@code _SUCCESS}) because they are never text.
 */
public final class LocalCorpusStore implements CorpusStore {

  @Override
  public List<String> list(String uri) {
    String path = uri.startsWith("file:") ? Paths.get(URI.create(uri)).toString() : uri;
    if (path.endsWith("*")) {
      return listPrefix(path.substring(0, path.length() - 1), uri);
    }
    Path p = Paths.get(path);
    if (Files.isRegularFile(p)) {
      return List.of(p.toString());
    }
    if (Files.isDirectory(p)) {
      List<String> files = walk(p);
      if (files.isEmpty()) {
        throw new DataException("dataset " + uri + ": folder has no data files");
      }
      return files;
    }
    throw new DataException("dataset " + uri + ": no such file or folder");
  }

  private static List<String> listPrefix(String prefix, String uri) {
    // The prefix may end inside a file name ("c4-train.0*") or at a folder ("corpus/*").
    Path asGiven = Paths.get(prefix.isEmpty() ? "." : prefix);
    Path root = prefix.endsWith("/") || prefix.isEmpty() ? asGiven : asGiven.getParent();
    if (root == null) {
      root = Paths.get(".");
    }
    if (!Files.isDirectory(root)) {
      throw new DataException("dataset " + uri + ": folder " + root + " does not exist");
    }
    String normalisedPrefix = prefix.isEmpty() ? "" : Paths.get(prefix).toString();
    List<String> files =
        walk(root).stream()
            .filter(f -> f.startsWith(normalisedPrefix))
            .collect(Collectors.toList());
    if (files.isEmpty()) {
      throw new DataException("dataset " + uri + ": no file matches the prefix " + prefix);
    }
    return files;
  }

  private static List<String> walk(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(f -> !hidden(root.relativize(f)))
          .map(Path::toString)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      String n = part.toString();
      if (n.startsWith(".") || n.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public InputStream open(String name) throws IOException {
    try {
      return Files.newInputStream(Paths.get(name));
    } catch (NoSuchFileException e) {
      throw new DataException("corpus file " + name + " does not exist (removed after listing?)", e);
    }
  }
}
