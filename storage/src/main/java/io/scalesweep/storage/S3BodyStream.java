package io.scalesweep.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The body of a GET. Marks every failure while reading it as a {@link BrokenBodyException}, so a
 * broken connection can be told from a local failure (a full disk while downloading) and retried,
 * and turns the SDK's unchecked exceptions into the {@link IOException}s a stream promises.
 */
final class S3BodyStream extends FilterInputStream {

  /** The connection failed in the middle of an object's body; reading again may succeed. */
  static final class BrokenBodyException extends IOException {
    BrokenBodyException(String uri, Exception cause) {
      super(uri + ": reading the object broke off: " + cause, cause);
    }
  }

  private final String uri;

  S3BodyStream(InputStream in, String uri) {
    super(in);
    this.uri = uri;
  }

  @Override
  public int read() throws IOException {
    try {
      return super.read();
    } catch (IOException | SdkException e) {
      throw new BrokenBodyException(uri, e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException | SdkException e) {
      throw new BrokenBodyException(uri, e);
    }
  }

  @Override
  public long skip(long n) throws IOException {
    try {
      return super.skip(n);
    } catch (IOException | SdkException e) {
      throw new BrokenBodyException(uri, e);
    }
  }
}
