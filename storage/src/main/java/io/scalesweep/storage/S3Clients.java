package io.scalesweep.storage;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the AWS SDK client {@link StorageOptions} describe: endpoint, addressing, credentials, retries. */
public final class S3Clients {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  // a 16 MiB part on a slow link must not time out, but a dead server must not hang a trainer
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  private S3Clients() {}

  public static S3Client create(StorageOptions options) {
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT))
            .region(Region.of(options.region()))
            .forcePathStyle(options.pathStyle())
            // No aws-chunked bodies: against S3Proxy (Jetty 12) through HttpURLConnection, 5-10%
            // of small PUTs failed with "Error writing request body to server" after the server
            // had stored them, 0 of 4000 without; S3-compatible stores differ most in exactly
            // this encoding. The checksum then goes in a header, computed before sending.
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .credentialsProvider(credentials(options))
            .overrideConfiguration(c -> c.retryStrategy(retryStrategy(options)));
    if (options.endpoint() != null) {
      builder.endpointOverride(URI.create(options.endpoint()));
    }
    return builder.build();
  }

  /**
   * The SDK's standard strategy (retries throttling, 5xx, timeouts and broken connections; each
   * upload part is retried on its own) with our attempts and exponential back-off with jitter.
   * Its circuit breaker is off: it guards shared services against retry storms, and here one
   * trainer retrying one request at a time would only be cut off after a long outage.
   */
  static RetryStrategy retryStrategy(StorageOptions options) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(options.maxAttempts())
        .backoffStrategy(BackoffStrategy.exponentialDelay(options.retryBaseDelay(), MAX_BACKOFF))
        .circuitBreakerEnabled(false)
        .build();
  }

  private static AwsCredentialsProvider credentials(StorageOptions options) {
    if (options.hasCredentials()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(options.accessKey(), options.secretKey()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
