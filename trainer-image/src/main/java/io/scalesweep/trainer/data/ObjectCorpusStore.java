package io.scalesweep.trainer.data;

import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Corpora in object storage ({@code s3://bucket/c4/en/*.json.gz}) and, for everything else, on
 * the local file system. Listing follows the local store's rules: an object, every object under a
 * folder, or every object whose key starts with the text before a trailing {@code *}. Objects
 * whose name starts with {@code .} or {@code _} are skipped, as Spark and Hadoop leave such
 * markers beside their output.
 */
public final class ObjectCorpusStore implements CorpusStore, AutoCloseable {

  private final StorageOptions options;
  private final CorpusStore local = new LocalCorpusStore();
  private final Map<String, ObjectStore> buckets = new ConcurrentHashMap<>();

  public ObjectCorpusStore(StorageOptions options) {
    this.options = options;
  }

  @Override
  public List<String> list(String uri) {
    if (!isRemote(uri)) {
      return local.list(uri);
    }
    ObjectStore bucket = bucket(uri);
    // a prefix or folder, not an object key, so not keyOf (which insists on a whole key)
    String key = uri.substring(bucket.root().length());
    try {
      List<String> keys;
      if (key.endsWith("*")) {
        keys = bucket.list(key.substring(0, key.length() - 1));
      } else if (!key.isEmpty() && !key.endsWith("/") && bucket.exists(key)) {
        keys = List.of(key);
      } else {
        keys = bucket.list(key.isEmpty() || key.endsWith("/") ? key : key + "/");
      }
      List<String> files = keys.stream().filter(k -> !hidden(k)).map(bucket::uriOf).toList();
      if (files.isEmpty()) {
        throw new DataException("dataset " + uri + ": no object matches");
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + uri, e);
    }
  }

  @Override
  public InputStream open(String name) throws IOException {
    if (!isRemote(name)) {
      return local.open(name);
    }
    ObjectStore bucket = bucket(name);
    return bucket.open(bucket.keyOf(name));
  }

  private ObjectStore bucket(String uri) {
    URI u = URI.create(uri.replace("*", "%2A"));
    String root = u.getScheme() + "://" + u.getAuthority() + "/";
    return buckets.computeIfAbsent(root, r -> {
      try {
        return ObjectStores.open(r, options);
      } catch (RuntimeException e) {
        throw new DataException("dataset " + uri + ": cannot open " + r + ": " + e.getMessage(), e);
      }
    });
  }

  private static boolean isRemote(String uri) {
    return uri.contains("://") && !uri.startsWith("file:");
  }

  private static boolean hidden(String key) {
    for (String part : key.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    buckets.values().forEach(ObjectStore::close);
  }
}
