package io.scalesweep.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns AWS SDK exceptions into the store's {@link IOException}s, each naming the object's URI and
 * saying what to check. Credentials never appear: SDK messages do not carry them.
 */
final class S3Errors {

  private S3Errors() {}

  static IOException translate(SdkException e, String uri, String action) {
    if (e instanceof AbortedException) {
      // the thread was interrupted (pod shutting down): say so in the type callers check for
      InterruptedIOException interrupted = new InterruptedIOException(uri + ": " + action
          + " interrupted");
      interrupted.initCause(e);
      return interrupted;
    }
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if ("NoSuchBucket".equals(code)) {
        return new IOException(uri + ": " + action + " failed: the bucket does not exist", e);
      }
      if (e instanceof NoSuchKeyException || "NoSuchKey".equals(code) || s3.statusCode() == 404) {
        return new ObjectNotFoundException(uri, e);
      }
      if (s3.statusCode() == 403) {
        return new IOException(
            uri + ": " + action + " failed: access denied (" + code + "); check the storage "
                + "credentials and the bucket's policy", e);
      }
      return new IOException(
          uri + ": " + action + " failed: HTTP " + s3.statusCode() + " " + code + ": "
              + s3.getMessage(), e);
    }
    return new IOException(uri + ": " + action + " failed: " + e.getMessage(), e);
  }

  static boolean isNotFound(SdkException e) {
    return e instanceof S3Exception s3 && s3.statusCode() == 404;
  }
}
