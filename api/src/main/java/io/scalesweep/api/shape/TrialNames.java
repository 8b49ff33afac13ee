package io.scalesweep.api.shape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Deterministic Kubernetes names for trials, so that a restarted operator finds the objects it
 * created instead of making duplicates.
 */
public final class TrialNames {

  /** Longest DNS-1123 label, the limit for names that also end up in labels. */
  public static final int MAX_LENGTH = 63;

  private static final int HASH_CHARS = 8;

  private TrialNames() {}

  /**
   * The name of a sweep's trial: {@code <sweep>-<code>} in lower case when that is a valid label
   * of at most 63 characters ({@code deepnarrow-small-nl16-sm}); otherwise a readable prefix, a
   * dash and a hash of the full name, so names that were cut or cleaned stay distinct.
   */
  public static String of(String sweep, String code) {
    if (sweep == null || sweep.isBlank() || code == null || code.isBlank()) {
      throw new IllegalArgumentException("a trial name needs a sweep name and a code");
    }
    String full = sweep + "-" + code.toLowerCase(Locale.ROOT);
    String readable = labelCharacters(full);
    if (readable.equals(full) && readable.length() <= MAX_LENGTH) {
      return readable;
    }
    String prefix = readable.substring(0, Math.min(readable.length(), MAX_LENGTH - HASH_CHARS - 1));
    String head = trimDashes(prefix);
    return head.isEmpty() ? hash(full) : head + "-" + hash(full);
  }

  /** Lower case, anything outside [a-z0-9-] becomes a dash, no dash at either end. */
  private static String labelCharacters(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '-');
    }
    return trimDashes(sb.toString());
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String hash(String full) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }
}
