package io.scalesweep.storage;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The body of a GET. Marks every failure while reading it as a {@link BrokenBodyException}, so a
 * broken connection can be told from a local failure (a full disk while downloading) and retried,
 * and turns the SDK's unchecked exceptions into the {@link IOException}s a stream promises.
 *
 * <p>It also counts: when the server drops the connection midway, HttpURLConnection simply reports
 * the end of the stream, and the SDK does not compare with Content-Length, so without this a
 * truncated object would read as a short but "complete" one (objects without SHA-256 above all).
 */
final class S3BodyStream extends FilterInputStream {

  /** The connection failed in the middle of an object's body; reading again may succeed. */
  static final class BrokenBodyException extends IOException {
    BrokenBodyException(String uri, Exception cause) {
      super(uri + ": reading the object broke off: " + cause, cause);
    }
  }

  private final String uri;
  private final Long expectedLength;
  private long received;

  /** {@code expectedLength}: the response's Content-Length, null when the server sent none. */
  S3BodyStream(InputStream in, String uri, Long expectedLength) {
    super(in);
    this.uri = uri;
    this.expectedLength = expectedLength;
  }

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException | SdkException e) {
      throw new BrokenBodyException(uri, e);
    }
    count(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(buffer, off, len);
    } catch (IOException | SdkException e) {
      throw new BrokenBodyException(uri, e);
    }
    count(n);
    return n;
  }

  // skipping would leave bytes uncounted; the few callers that skip can afford reading
  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
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

  private void count(int n) throws BrokenBodyException {
    if (n >= 0) {
      received += n;
      return;
    }
    if (expectedLength != null && received < expectedLength) {
      throw new BrokenBodyException(
          uri,
          new EOFException("stream ended after " + received + " of " + expectedLength + " bytes"));
    }
  }
}
