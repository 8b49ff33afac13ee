package io.scalesweep.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing them and, on reaching the end, fails with {@link
 * ChecksumMismatchException} if they differ from the SHA-256 recorded at write time. A reader that
 * closes before the end gets no verdict: only a full read can be verified.
 */
final class VerifyingInputStream extends FilterInputStream {

  private final MessageDigest digest = Sha256.newDigest();
  private final String expected;
  private final String uri;
  private String actual;

  VerifyingInputStream(InputStream in, String expectedSha256, String uri) {
    super(in);
    this.expected = expectedSha256;
    this.uri = uri;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      verify();
    } else {
      digest.update((byte) b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    int n = super.read(buffer, off, len);
    if (n < 0) {
      verify();
    } else {
      digest.update(buffer, off, n);
    }
    return n;
  }

  // skip would pass bytes by without hashing them, and the verdict at the end would be wrong
  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(n, 1 << 16)];
    long left = n;
    while (left > 0) {
      int r = read(sink, 0, (int) Math.min(left, sink.length));
      if (r < 0) {
        break;
      }
      left -= r;
    }
    return n - left;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void verify() throws ChecksumMismatchException {
    if (actual == null) {
      actual = Sha256.hex(digest);
    }
    // a reader that retries the end after a mismatch must not be handed a quiet -1
    if (!actual.equals(expected)) {
      throw new ChecksumMismatchException(uri, expected, actual);
    }
  }
}
