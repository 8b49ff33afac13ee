package io.scalesweep.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a local file so that nobody ever sees it half written: the bytes go to a temporary
 * file in the same folder, are forced to disk, and the temporary file is renamed over the target.
 * A crash leaves the old file (and a stray temporary one), never a torn new one.
 */
final class AtomicFiles {

  /** Writes the body of a file. */
  @FunctionalInterface
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private static final int BUFFER = 1 << 16;
  // a concurrent delete may prune the (empty) folder between creating it and writing into it
  private static final int FOLDER_RACE_ATTEMPTS = 3;

  private AtomicFiles() {}

  /**
   * Writes an object's file: atomically, forced to disk before the rename (a checkpoint must
   * survive a node crash once the store said it was written), with its SHA-256 recorded on the
   * file (see {@link FileDigests}).
   */
  static void writeObject(Path target, Body body) throws IOException {
    write(target, body, true);
  }

  /**
   * Replaces a local copy (a download) atomically, but neither forced to disk nor digested: the
   * bytes were verified while read, and a copy lost in a crash is simply fetched again.
   */
  static void replaceCopy(Path target, Body body) throws IOException {
    write(target, body, false);
  }

  private static void write(Path target, Body body, boolean durable) throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    for (int attempt = 1; ; attempt++) {
      Files.createDirectories(folder);
      Path temp = folder.resolve(tempName());
      try {
        String sha256 = writeTemp(temp, body, durable);
        if (durable) {
          FileDigests.write(temp, sha256);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        if (durable) {
          syncFolder(folder);
        }
        return;
      } catch (NoSuchFileException e) {
        deleteQuietly(temp);
        if (attempt >= FOLDER_RACE_ATTEMPTS || !temp.toString().equals(e.getFile())) {
          throw e;
        }
      } catch (AtomicMoveNotSupportedException e) {
        deleteQuietly(temp);
        throw new IOException(
            target + ": the file system cannot rename atomically, so it cannot hold a store", e);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(temp);
        throw e;
      }
    }
  }

  /** Returns the SHA-256 of what was written when {@code durable}, else null. */
  private static String writeTemp(Path temp, Body body, boolean durable) throws IOException {
    MessageDigest digest = durable ? Sha256.newDigest() : null;
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
      if (durable) {
        out = new DigestOutputStream(out, digest);
      }
      body.writeTo(out);
      out.flush();
      if (durable) {
        // without this a power loss after the rename can leave the new name on empty blocks
        channel.force(true);
      }
    }
    return durable ? Sha256.hex(digest) : null;
  }

  /** Makes the rename itself durable; best effort where folders cannot be opened. */
  private static void syncFolder(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // some file systems refuse fsync on a folder; the rename is still atomic, only less durable
    }
  }

  /** A fresh name that listings skip (see {@link Keys#TEMP_PREFIX}). */
  static String tempName() {
    return Keys.TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong());
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stray temporary file is invisible to listings; nothing better to do here
    }
  }
}
