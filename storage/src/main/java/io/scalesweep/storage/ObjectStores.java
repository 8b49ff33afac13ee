package io.scalesweep.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Opens the right {@link ObjectStore} for a root URI: {@code s3://}, {@code file://} or a path. */
public final class ObjectStores {

  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private ObjectStores() {}

  /**
   * A store rooted at {@code root}: {@code s3://bucket/prefix/}, {@code file:///path/} or a plain
   * local path (relative paths resolve against the working directory). The store owns its
   * resources: close it.
   *
   * @throws IllegalArgumentException for another scheme or a malformed URI
   */
  public static ObjectStore open(String root, StorageOptions options) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("storage root URI is empty");
    }
    if (!SCHEME.matcher(root).matches()) {
      return new FileObjectStore(Path.of(root));
    }
    URI uri;
    try {
      uri = URI.create(root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("storage root " + root + " is not a valid URI", e);
    }
    String scheme = uri.getScheme().toLowerCase();
    switch (scheme) {
      case "s3":
        String bucket = uri.getAuthority();
        if (bucket == null || bucket.isEmpty()) {
          throw new IllegalArgumentException("storage root " + root + " names no bucket");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String prefix = path.startsWith("/") ? path.substring(1) : path;
        return S3ObjectStore.create(bucket, prefix, options);
      case "file":
        if (uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
          throw new IllegalArgumentException(
              "storage root " + root + " names host '" + uri.getAuthority()
                  + "': file URIs must be local (file:///path)");
        }
        return new FileObjectStore(Path.of(uri));
      default:
        throw new IllegalArgumentException(
            "storage root " + root + ": unsupported scheme '" + scheme + "' (s3:// or file://)");
    }
  }

  /**
   * {@link #open(String, StorageOptions)} with {@link StorageOptions#fromEnvironment()} for S3;
   * a local root does not read the environment, so S3 settings cannot break it.
   */
  public static ObjectStore open(String root) {
    boolean s3 = root != null && root.regionMatches(true, 0, "s3:", 0, 3);
    return open(root, s3 ? StorageOptions.fromEnvironment() : StorageOptions.defaults());
  }
}
