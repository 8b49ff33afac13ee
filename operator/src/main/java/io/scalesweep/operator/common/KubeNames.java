package io.scalesweep.operator.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Kubernetes names and label values have length limits that user-chosen names may exceed; these
 * helpers shorten deterministically (a hash suffix keeps shortened names distinct), so a
 * restarted operator derives the same names again.
 */
public final class KubeNames {

  /** Label values, and names that end up in label values (a Job's name does). */
  public static final int LABEL_VALUE_MAX = 63;
  /** Names of most objects (DNS subdomains). */
  public static final int NAME_MAX = 253;

  private static final int HASH_CHARS = 8;

  private KubeNames() {}

  /** {@code base + suffix}, shortened to {@code max} characters when longer. */
  public static String bounded(String base, String suffix, int max) {
    String full = base + suffix;
    if (full.length() <= max) {
      return full;
    }
    String hash = hash(full);
    int keep = max - suffix.length() - HASH_CHARS - 1;
    String head = trimTrailingNonAlphanumeric(base.substring(0, Math.max(0, keep)));
    return head + "-" + hash + suffix;
  }

  /** A valid label value for {@code value} (at most 63 characters). */
  public static String labelValue(String value) {
    return bounded(value, "", LABEL_VALUE_MAX);
  }

  private static String trimTrailingNonAlphanumeric(String s) {
    int end = s.length();
    while (end > 0 && !Character.isLetterOrDigit(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  private static String hash(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
