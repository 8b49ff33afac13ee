package io.scalesweep.storage;

/**
 * Rules for keys, the '/'-separated names of objects below a store's root. They are checked once,
 * here, so that no store can be steered outside its root ("..") and both stores accept exactly
 * the same names.
 */
final class Keys {

  /** Names of in-flight temporary files start with this; such names are never keys. */
  static final String TEMP_PREFIX = ".scalesweep-tmp-";

  private Keys() {}

  /** Checks an object key: non-empty, relative, no empty, "." or ".." segment, no trailing '/'. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("object key must not be empty");
    }
    if (key.endsWith("/")) {
      throw new IllegalArgumentException("object key '" + key + "' ends with '/': that names a folder");
    }
    checkSegments(key, key);
    return key;
  }

  /**
   * Checks a listing prefix: like a key, but may be empty (everything) or end with '/' (a
   * folder); the text after the last '/' is a plain name prefix ("checkpoints/step-").
   */
  static String checkPrefix(String prefix) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null (use \"\" for everything)");
    }
    if (prefix.isEmpty()) {
      return prefix;
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    if (body.isEmpty()) {
      throw new IllegalArgumentException("prefix '/' is absolute: prefixes are relative to the root");
    }
    checkSegments(body, prefix);
    return prefix;
  }

  /** {@code folder} with exactly one '/' before {@code name}; an empty folder is the root. */
  static String join(String folder, String name) {
    if (folder.isEmpty()) {
      return name;
    }
    return folder.endsWith("/") ? folder + name : folder + "/" + name;
  }

  /** {@code folder} ending with '/', or empty for the root. */
  static String asFolder(String folder) {
    return folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
  }

  private static void checkSegments(String body, String original) {
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException("key '" + original + "' contains a control character");
      }
    }
    for (String segment : body.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "key '" + original + "' has an empty, '.' or '..' segment: keys are plain relative names");
      }
      if (segment.startsWith(TEMP_PREFIX)) {
        throw new IllegalArgumentException(
            "key '" + original + "' uses the reserved temporary-file prefix " + TEMP_PREFIX);
      }
    }
  }
}
