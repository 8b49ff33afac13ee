package io.scalesweep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The SHA-256 of a stored file, kept in a user extended attribute of the file itself. An
 * attribute, unlike a sidecar file, travels with the file through the atomic rename, so content
 * and checksum can never belong to different writes. Where the file system has no user attributes
 * (some tmpfs, NFS), files are stored unchecked.
 */
final class FileDigests {

  /** Shown by {@code getfattr -d} as {@code user.scalesweep.sha256}. */
  static final String ATTRIBUTE = "scalesweep.sha256";

  private FileDigests() {}

  /** Records the digest; returns false when the file system cannot hold it. */
  static boolean write(Path file, String sha256) throws IOException {
    UserDefinedFileAttributeView view = view(file);
    if (view == null) {
      return false;
    }
    try {
      view.write(ATTRIBUTE, StandardCharsets.US_ASCII.encode(sha256));
      return true;
    } catch (FileSystemException e) {
      if (unsupported(e)) {
        return false;
      }
      throw e;
    }
  }

  /** The recorded digest, or null for a file written by another tool or on such a file system. */
  static String read(Path file) throws IOException {
    UserDefinedFileAttributeView view = view(file);
    if (view == null) {
      return null;
    }
    try {
      if (!view.list().contains(ATTRIBUTE)) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.allocate(view.size(ATTRIBUTE));
      view.read(ATTRIBUTE, buffer);
      buffer.flip();
      return StandardCharsets.US_ASCII.decode(buffer).toString();
    } catch (FileSystemException e) {
      if (unsupported(e)) {
        return null;
      }
      throw e;
    }
  }

  private static UserDefinedFileAttributeView view(Path file) {
    return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
  }

  // ENOTSUP surfaces as a FileSystemException whose reason names it; there is no subtype
  private static boolean unsupported(FileSystemException e) {
    String reason = e.getReason();
    return reason != null && reason.toLowerCase().contains("not supported");
  }
}
