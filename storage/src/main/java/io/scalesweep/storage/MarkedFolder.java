package io.scalesweep.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A folder of objects that counts as complete only once its marker object exists, written last: a
 * checkpoint ({@code checkpoints/step-N/} with weights and optimizer state, then {@code
 * manifest.json}). A writer that dies midway leaves a folder without marker, which readers ignore
 * and the next writer overwrites.
 *
 * <pre>{@code
 * MarkedFolder cp = MarkedFolder.of(store, "checkpoints/step-5000/", "manifest.json");
 * cp.begin();                      // an older, complete version stops counting first
 * cp.put("model.params", weights);
 * cp.put("optimizer.bin", state);
 * cp.commit(manifestJson);         // now, and only now, complete
 * }</pre>
 */
public final class MarkedFolder {

  private final ObjectStore store;
  private final String folder;
  private final String marker;

  private MarkedFolder(ObjectStore store, String folder, String marker) {
    this.store = store;
    this.folder = Keys.asFolder(Keys.checkPrefix(folder));
    if (this.folder.isEmpty()) {
      throw new IllegalArgumentException("a marked folder cannot be the store's root");
    }
    if (marker.contains("/")) {
      throw new IllegalArgumentException("marker '" + marker + "' must be a plain name");
    }
    this.marker = marker;
    Keys.checkKey(markerKey());
  }

  /** {@code folder} (relative to the store's root) completed by the object {@code marker}. */
  public static MarkedFolder of(ObjectStore store, String folder, String marker) {
    return new MarkedFolder(store, folder, marker);
  }

  /** The folder's key prefix, ending with '/'. */
  public String folder() {
    return folder;
  }

  /**
   * Starts (re)writing: removes the marker, so that an existing complete version stops counting
   * before any of its objects is overwritten.
   */
  public void begin() throws IOException {
    store.delete(markerKey());
  }

  public void put(String name, byte[] bytes) throws IOException {
    store.put(memberKey(name), bytes);
  }

  public void put(String name, Path file) throws IOException {
    store.put(memberKey(name), file);
  }

  /** Writes the marker, last; the folder is complete once this returns. */
  public void commit(byte[] markerContent) throws IOException {
    store.put(markerKey(), markerContent);
  }

  public boolean isComplete() throws IOException {
    return store.exists(markerKey());
  }

  /** The marker's content, e.g. the checkpoint manifest. */
  public byte[] readMarker() throws IOException {
    return store.get(markerKey());
  }

  /**
   * Deletes the folder, marker first: a deletion that dies midway leaves an incomplete folder,
   * never a "complete" one with objects missing.
   */
  public void discard() throws IOException {
    store.delete(markerKey());
    store.deletePrefix(folder);
  }

  /**
   * The complete folders directly below {@code parent}, sorted by key ({@code step-N} names do not
   * sort numerically: parse N to find the newest). One listing, no request per folder.
   */
  public static List<String> listComplete(ObjectStore store, String parent, String marker)
      throws IOException {
    String base = Keys.asFolder(Keys.checkPrefix(parent));
    String suffix = "/" + marker;
    List<String> folders = new ArrayList<>();
    for (String key : store.list(base)) {
      String rest = key.substring(base.length());
      if (rest.endsWith(suffix) && rest.indexOf('/') == rest.length() - suffix.length()) {
        folders.add(key.substring(0, key.length() - marker.length()));
      }
    }
    return folders;
  }

  private String markerKey() {
    return folder + marker;
  }

  private String memberKey(String name) {
    if (name.equals(marker)) {
      throw new IllegalArgumentException(
          "'" + marker + "' is the completion marker of " + folder + ": write it with commit()");
    }
    return Keys.checkKey(folder + name);
  }

  @Override
  public String toString() {
    return "MarkedFolder[" + store.root() + folder + ", marker " + marker + "]";
  }
}
