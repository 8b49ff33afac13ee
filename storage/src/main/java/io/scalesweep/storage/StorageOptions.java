package io.scalesweep.storage;

import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.StorageSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to reach S3 and how to move large objects; ignored by {@code file://} stores.
 *
 * <p>The trainer builds these with {@link #fromEnvironment()}, the operator with {@link
 * #fromSpec} plus {@link #withCredentials} from the storage Secret, and hands the pod {@link
 * #environment()} (credentials travel separately, by Secret reference).
 *
 * @param endpoint S3-compatible endpoint (MinIO, Ceph, R2, S3Proxy); null for AWS
 * @param region signing region
 * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key}
 * @param accessKey null to use the AWS SDK's default credential chain (env, profile, IRSA...)
 * @param secretKey null exactly when {@code accessKey} is
 * @param multipartThreshold files of this size or more go up as multipart uploads
 * @param partSize multipart part size; at least {@link #MIN_PART_SIZE}, S3's floor
 * @param maxAttempts attempts per request, the first included, before a transient error is final
 * @param retryBaseDelay first back-off delay; doubled per attempt, with jitter, capped
 */
public record StorageOptions(
    String endpoint,
    String region,
    boolean pathStyle,
    String accessKey,
    String secretKey,
    long multipartThreshold,
    long partSize,
    int maxAttempts,
    Duration retryBaseDelay) {

  /** S3 rejects parts below 5 MiB, the last one excepted. */
  public static final long MIN_PART_SIZE = 5L << 20;

  public static final long DEFAULT_PART_SIZE = 16L << 20;
  public static final String DEFAULT_REGION = "us-east-1";
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(200);

  public StorageOptions {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("S3 region must be set");
    }
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException("S3 access key and secret key must be given together");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "multipart part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE);
    }
    if (multipartThreshold < 1) {
      throw new IllegalArgumentException("multipart threshold must be positive");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts counts the first attempt: at least 1");
    }
    // the SDK's exponential back-off refuses zero
    if (retryBaseDelay == null || retryBaseDelay.isNegative() || retryBaseDelay.isZero()) {
      throw new IllegalArgumentException("retry base delay must be positive");
    }
    endpoint = endpoint == null || endpoint.isBlank() ? null : endpoint;
  }

  /** AWS S3 in us-east-1, the SDK's credential chain, 16 MiB parts, 5 attempts. */
  public static StorageOptions defaults() {
    return new StorageOptions(
        null,
        DEFAULT_REGION,
        false,
        null,
        null,
        DEFAULT_PART_SIZE,
        DEFAULT_PART_SIZE,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_RETRY_BASE_DELAY);
  }

  /** What the trainer pod was given; see {@link TrainerContract}. */
  public static StorageOptions fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * Reads the {@link TrainerContract} variables from {@code env}. Path style defaults to on when an
   * endpoint is set (S3-compatible stores mostly need it) and off for AWS.
   */
  public static StorageOptions fromEnvironment(Map<String, String> env) {
    String endpoint = blankToNull(env.get(TrainerContract.ENV_S3_ENDPOINT));
    String region = blankToNull(env.get(TrainerContract.ENV_AWS_REGION));
    String pathStyle = blankToNull(env.get(TrainerContract.ENV_S3_PATH_STYLE));
    String accessKey = blankToNull(env.get(TrainerContract.ENV_AWS_ACCESS_KEY_ID));
    String secretKey = blankToNull(env.get(TrainerContract.ENV_AWS_SECRET_ACCESS_KEY));
    if ((accessKey == null) != (secretKey == null)) {
      throw new IllegalArgumentException(
          "only one of "
              + TrainerContract.ENV_AWS_ACCESS_KEY_ID
              + " and "
              + TrainerContract.ENV_AWS_SECRET_ACCESS_KEY
              + " is set: the storage Secret must hold both");
    }
    StorageOptions o =
        defaults()
            .withEndpoint(endpoint)
            .withPathStyle(pathStyle == null ? endpoint != null : Boolean.parseBoolean(pathStyle));
    o = region == null ? o : o.withRegion(region);
    return accessKey == null ? o : o.withCredentials(accessKey, secretKey);
  }

  /** Endpoint, region and addressing from a sweep's storage spec; no credentials. */
  public static StorageOptions fromSpec(StorageSpec spec) {
    StorageOptions o = defaults().withEndpoint(spec.getEndpoint());
    o = spec.getRegion() == null ? o : o.withRegion(spec.getRegion());
    boolean pathStyle = spec.getPathStyle() == null || spec.getPathStyle();
    return o.withPathStyle(pathStyle);
  }

  /**
   * The non-secret {@link TrainerContract} variables that make {@link #fromEnvironment} in the pod
   * yield these options again (credentials excepted: they come from the Secret by reference).
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (endpoint != null) {
      env.put(TrainerContract.ENV_S3_ENDPOINT, endpoint);
    }
    env.put(TrainerContract.ENV_S3_PATH_STYLE, Boolean.toString(pathStyle));
    env.put(TrainerContract.ENV_AWS_REGION, region);
    return env;
  }

  public boolean hasCredentials() {
    return accessKey != null;
  }

  public StorageOptions withEndpoint(String endpoint) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, multipartThreshold, partSize,
        maxAttempts, retryBaseDelay);
  }

  public StorageOptions withRegion(String region) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, multipartThreshold, partSize,
        maxAttempts, retryBaseDelay);
  }

  public StorageOptions withPathStyle(boolean pathStyle) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, multipartThreshold, partSize,
        maxAttempts, retryBaseDelay);
  }

  /** Explicit credentials, e.g. read by the operator from the storage Secret. */
  public StorageOptions withCredentials(String accessKey, String secretKey) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, multipartThreshold, partSize,
        maxAttempts, retryBaseDelay);
  }

  public StorageOptions withMultipart(long threshold, long partSize) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, threshold, partSize, maxAttempts,
        retryBaseDelay);
  }

  public StorageOptions withRetries(int maxAttempts, Duration baseDelay) {
    return new StorageOptions(
        endpoint, region, pathStyle, accessKey, secretKey, multipartThreshold, partSize,
        maxAttempts, baseDelay);
  }

  /** Never prints the secret key, nor the access key: options end up in logs. */
  @Override
  public String toString() {
    return "StorageOptions[endpoint="
        + (endpoint == null ? "AWS" : endpoint)
        + ", region="
        + region
        + ", pathStyle="
        + pathStyle
        + ", credentials="
        + (hasCredentials() ? "explicit" : "SDK default chain")
        + ", multipartThreshold="
        + multipartThreshold
        + ", partSize="
        + partSize
        + ", maxAttempts="
        + maxAttempts
        + ", retryBaseDelay="
        + retryBaseDelay
        + "]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
