package io.scalesweep.storage;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects in an S3 bucket below a key prefix, through any S3-compatible endpoint.
 *
 * <p>Integrity: every write stores the SHA-256 of the object as user metadata ({@code
 * x-amz-meta-sha256}) and every full read recomputes and compares it, end to end, whatever the
 * server supports. On the wire the SDK adds a CRC32 to each PUT and part that the server checks on
 * arrival. Multipart objects have no whole-object MD5 ETag, which is why the store keeps its own
 * digest rather than relying on ETags.
 *
 * <p>Retries: each request is retried by the SDK (see {@link S3Clients#retryStrategy}); a read that
 * breaks in the middle of the body is restarted here, with the same back-off.
 */
public final class S3ObjectStore implements ObjectStore {

  /** User-metadata name of the SHA-256; sent as {@code x-amz-meta-sha256}. */
  public static final String SHA256_METADATA = "sha256";

  /** Beyond this, S3 refuses a single PUT. */
  static final long MAX_SINGLE_PUT = 5L << 30;

  /** S3's most keys per listing page and per multi-object delete. */
  static final int MAX_BATCH = 1000;

  private static final System.Logger LOG = System.getLogger(S3ObjectStore.class.getName());

  private final S3Client s3;
  private final boolean ownsClient;
  private final String bucket;
  private final String prefix;
  private final StorageOptions options;
  private final Backoff backoff;
  // smaller in tests, so that paging and batching are exercised with a few keys
  private int batchSize = MAX_BATCH;

  private S3ObjectStore(
      S3Client s3, boolean ownsClient, String bucket, String prefix, StorageOptions options) {
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("S3 URI without a bucket");
    }
    this.s3 = s3;
    this.ownsClient = ownsClient;
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() ? "" : Keys.asFolder(Keys.checkPrefix(prefix));
    this.options = options;
    this.backoff = new Backoff(options.retryBaseDelay(), S3Clients.MAX_BACKOFF);
  }

  /** A store with its own client, closed with the store. */
  public static S3ObjectStore create(String bucket, String prefix, StorageOptions options) {
    return new S3ObjectStore(S3Clients.create(options), true, bucket, prefix, options);
  }

  /** A store on a shared client (the operator, many sweeps), which {@link #close} leaves open. */
  public static S3ObjectStore onClient(
      S3Client s3, String bucket, String prefix, StorageOptions options) {
    return new S3ObjectStore(s3, false, bucket, prefix, options);
  }

  /** Keys per listing page and per delete request; tests make it small. */
  void batchSize(int keys) {
    this.batchSize = keys;
  }

  @Override
  public String root() {
    return "s3://" + bucket + "/" + prefix;
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    String s3Key = s3Key(key);
    Map<String, String> metadata = Map.of(SHA256_METADATA, Sha256.of(bytes));
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(s3Key).contentLength((long) bytes.length).metadata(metadata),
          RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw S3Errors.translate(e, uriOf(key), "put");
    }
  }

  @Override
  public void put(String key, Path file) throws IOException {
    String s3Key = s3Key(key);
    long size = Files.size(file);
    // one extra local read; the digest must be known before the first byte goes up
    Map<String, String> metadata = Map.of(SHA256_METADATA, Sha256.of(file));
    if (size >= options.multipartThreshold() || size > MAX_SINGLE_PUT) {
      long partSize = S3MultipartUpload.partSize(size, options.partSize());
      new S3MultipartUpload(s3, bucket, s3Key, uriOf(key)).upload(file, size, partSize, metadata);
      return;
    }
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(s3Key).contentLength(size).metadata(metadata),
          RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw S3Errors.translate(e, uriOf(key), "put");
    }
  }

  @Override
  public byte[] get(String key) throws IOException {
    return readFully(key, InputStream::readAllBytes);
  }

  @Override
  public void download(String key, Path target) throws IOException {
    readFully(
        key,
        in -> {
          AtomicFiles.replaceCopy(target, in::transferTo);
          return null;
        });
  }

  @Override
  public InputStream open(String key) throws IOException {
    String s3Key = s3Key(key);
    ResponseInputStream<GetObjectResponse> response;
    try {
      response = s3.getObject(b -> b.bucket(bucket).key(s3Key));
    } catch (SdkException e) {
      throw S3Errors.translate(e, uriOf(key), "get");
    }
    InputStream body =
        new S3BodyStream(response, uriOf(key), response.response().contentLength());
    String sha256 = response.response().metadata().get(SHA256_METADATA);
    return sha256 == null ? body : new VerifyingInputStream(body, sha256, uriOf(key));
  }

  /**
   * Reads a whole object. The SDK retries the request up to the response headers; a body that
   * breaks off after that is restarted here from the beginning, with the same back-off. So is a
   * checksum mismatch: on stores whose GET is not atomic against a concurrent replace (S3Proxy's
   * filesystem backend, seen in CatalogAtomicityTest) one version's bytes can arrive with the
   * other's checksum, and the next read is whole; a mismatch that persists is real corruption.
   */
  private <T> T readFully(String key, BodyReader<T> reader) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = open(key)) {
        return reader.read(in);
      } catch (S3BodyStream.BrokenBodyException | ChecksumMismatchException e) {
        if (attempt >= options.maxAttempts()) {
          throw e;
        }
        int failed = attempt;
        LOG.log(Level.INFO, () -> e.getMessage() + "; attempt " + failed + ", reading again");
        backoff.sleep(attempt);
      }
    }
  }

  /** A HEAD answer has no body, so a missing bucket reads as a missing object here. */
  @Override
  public long size(String key) throws IOException {
    String s3Key = s3Key(key);
    try {
      return s3.headObject(b -> b.bucket(bucket).key(s3Key)).contentLength();
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        throw new ObjectNotFoundException(uriOf(key), e);
      }
      throw S3Errors.translate(e, uriOf(key), "head");
    }
  }

  @Override
  public boolean exists(String key) throws IOException {
    String s3Key = s3Key(key);
    try {
      s3.headObject(b -> b.bucket(bucket).key(s3Key));
      return true;
    } catch (SdkException e) {
      if (S3Errors.isNotFound(e)) {
        return false;
      }
      throw S3Errors.translate(e, uriOf(key), "head");
    }
  }

  @Override
  public List<String> list(String keyPrefix) throws IOException {
    String fullPrefix = prefix + Keys.checkPrefix(keyPrefix);
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(fullPrefix).maxKeys(batchSize))
              .contents()) {
        String key = object.key().substring(prefix.length());
        // consoles create "folder/" placeholder objects; they hold nothing
        if (!key.endsWith("/")) {
          keys.add(key);
        }
      }
    } catch (SdkException e) {
      throw S3Errors.translate(e, root() + keyPrefix, "list");
    }
    Collections.sort(keys);
    return keys;
  }

  @Override
  public void delete(String key) throws IOException {
    String s3Key = s3Key(key);
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(s3Key)); // S3 answers 204 for a missing key too
    } catch (SdkException e) {
      if (!S3Errors.isNotFound(e) || isNoSuchBucket(e)) {
        throw S3Errors.translate(e, uriOf(key), "delete");
      }
    }
  }

  @Override
  public int deletePrefix(String keyPrefix) throws IOException {
    List<String> keys = list(keyPrefix);
    int deleted = 0;
    for (int from = 0; from < keys.size(); from += batchSize) {
      List<ObjectIdentifier> batch = new ArrayList<>();
      for (String key : keys.subList(from, Math.min(keys.size(), from + batchSize))) {
        batch.add(ObjectIdentifier.builder().key(prefix + key).build());
      }
      DeleteObjectsResponse response;
      try {
        response = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
      } catch (SdkException e) {
        throw S3Errors.translate(e, root() + keyPrefix, "delete prefix");
      }
      List<S3Error> errors = response.errors();
      if (!errors.isEmpty()) {
        S3Error first = errors.get(0);
        throw new IOException(
            root() + keyPrefix + ": could not delete " + errors.size() + " objects, e.g. "
                + root() + first.key().substring(prefix.length()) + ": " + first.code() + " "
                + first.message());
      }
      deleted += batch.size();
    }
    return deleted;
  }

  @Override
  public void close() {
    if (ownsClient) {
      s3.close();
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + root() + ", " + options + "]";
  }

  private String s3Key(String key) {
    return prefix + Keys.checkKey(key);
  }

  private static boolean isNoSuchBucket(SdkException e) {
    return e instanceof NoSuchBucketException;
  }

  /** Consumes a whole object body. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(InputStream in) throws IOException;
  }
}
