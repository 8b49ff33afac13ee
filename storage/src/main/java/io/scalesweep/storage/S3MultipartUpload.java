package io.scalesweep.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one local file as an S3 multipart upload. Parts go up in order, each retried by the SDK
 * on its own; the object appears only when the final "complete" succeeds, and any failure before
 * that aborts the upload so that neither a partial object nor orphaned parts (which are billed)
 * remain. Each part carries a CRC32 that the server checks on arrival.
 */
final class S3MultipartUpload {

  /** S3 allows at most this many parts; larger files get larger parts. */
  static final int MAX_PARTS = 10_000;

  private static final System.Logger LOG = System.getLogger(S3MultipartUpload.class.getName());

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String uri;

  S3MultipartUpload(S3Client s3, String bucket, String key, String uri) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.uri = uri;
  }

  /** The part size actually used: the configured one, grown to stay within {@link #MAX_PARTS}. */
  static long partSize(long fileSize, long configured) {
    long needed = (fileSize + MAX_PARTS - 1) / MAX_PARTS;
    return Math.max(configured, needed);
  }

  void upload(Path file, long size, long partSize, Map<String, String> metadata)
      throws IOException {
    String uploadId;
    try {
      uploadId =
          s3.createMultipartUpload(
                  b -> b.bucket(bucket).key(key).metadata(metadata)
                      .checksumAlgorithm(ChecksumAlgorithm.CRC32))
              .uploadId();
    } catch (SdkException e) {
      throw S3Errors.translate(e, uri, "starting multipart upload");
    }
    try {
      List<CompletedPart> parts = uploadParts(uploadId, file, size, partSize);
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId)
              .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException e) {
      IOException failure = S3Errors.translate(e, uri, "multipart upload");
      abort(uploadId, failure);
      throw failure;
    } catch (UncheckedIOException e) {
      IOException failure = new IOException(uri + ": cannot read " + file, e.getCause());
      abort(uploadId, failure);
      throw failure;
    } catch (RuntimeException | Error e) {
      abort(uploadId, e);
      throw e;
    }
  }

  private List<CompletedPart> uploadParts(String uploadId, Path file, long size, long partSize) {
    List<CompletedPart> parts = new ArrayList<>();
    int number = 1;
    for (long offset = 0; offset < size; offset += partSize, number++) {
      long length = Math.min(partSize, size - offset);
      int partNumber = number;
      UploadPartResponse response =
          s3.uploadPart(
              b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                  .contentLength(length).checksumAlgorithm(ChecksumAlgorithm.CRC32),
              RequestBody.fromContentProvider(
                  new FileRange(file, offset, length), length, "application/octet-stream"));
      parts.add(
          CompletedPart.builder()
              .partNumber(partNumber)
              .eTag(response.eTag())
              .checksumCRC32(response.checksumCRC32())
              .build());
    }
    return parts;
  }

  /**
   * Best effort: if the abort fails too (server gone), the parts stay until a lifecycle rule
   * removes them, but no object appears, since "complete" was never sent.
   */
  private void abort(String uploadId, Throwable cause) {
    // an interrupted trainer (pod shutdown) must still clean up, so run the abort uninterrupted
    boolean interrupted = Thread.interrupted();
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      cause.addSuppressed(e);
      LOG.log(Level.WARNING, () -> uri + ": could not abort multipart upload " + uploadId
          + "; its parts remain until the bucket's lifecycle rule removes them", e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
