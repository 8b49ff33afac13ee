package io.scalesweep.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Sits between S3Proxy's HTTP front and its file system store and fails chosen requests the way a
 * real server under trouble does: a part upload answered with HTTP 503, a GET whose body breaks
 * off midway. Disarmed unless a test arms it.
 */
final class FaultyBlobStore extends ForwardingBlobStore {

  private final Map<Integer, AtomicInteger> partAttempts = new ConcurrentHashMap<>();
  private volatile int failingPart;
  private volatile int partFailuresLeft;
  private volatile IntConsumer beforePart = n -> {};
  private volatile int brokenGetsLeft;
  private volatile long breakGetAfter;

  FaultyBlobStore(BlobStore delegate) {
    super(delegate);
  }

  /** Fails the next {@code times} uploads of part {@code part} ({@link Integer#MAX_VALUE}: all). */
  void failPart(int part, int times) {
    failingPart = part;
    partFailuresLeft = times;
  }

  /** Runs before each part is stored, with its number. */
  void beforePart(IntConsumer hook) {
    beforePart = hook;
  }

  /** The next {@code times} GETs send {@code bytes} bytes of the body, then drop the connection. */
  void breakGets(int times, long bytes) {
    brokenGetsLeft = times;
    breakGetAfter = bytes;
  }

  int partAttempts(int part) {
    AtomicInteger n = partAttempts.get(part);
    return n == null ? 0 : n.get();
  }

  void disarm() {
    partAttempts.clear();
    failingPart = 0;
    partFailuresLeft = 0;
    beforePart = n -> {};
    brokenGetsLeft = 0;
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload upload, UploadPartRequest request, InputStream body) {
    int part = request.partNumber();
    partAttempts.computeIfAbsent(part, n -> new AtomicInteger()).incrementAndGet();
    beforePart.accept(part);
    if (part == failingPart && partFailuresLeft > 0) {
      partFailuresLeft--;
      // read the part first, as a server failing while storing it would have; the client then
      // sees a clean 503 rather than a connection closed under its feet
      try {
        body.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      throw S3Exception.builder()
          .statusCode(503)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("ServiceUnavailable")
                  .errorMessage("injected failure of part " + part)
                  .build())
          .build();
    }
    return super.uploadMultipartPart(upload, request, body);
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
    if (brokenGetsLeft <= 0) {
      return blob;
    }
    brokenGetsLeft--;
    return new ResponseInputStream<>(blob.response(), new BreakingStream(blob, breakGetAfter));
  }

  /** Delivers some bytes, then fails as a dropped connection would. */
  private static final class BreakingStream extends FilterInputStream {
    private long left;

    BreakingStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      check();
      left--;
      return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      int n = super.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }

    private void check() throws IOException {
      if (left <= 0) {
        throw new IOException("injected: connection dropped in the middle of the body");
      }
    }
  }
}
