package io.scalesweep.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server in-process: S3Proxy on a random loopback port, objects on disk under a folder
 * (so tests can corrupt them behind the server's back), AWS signature v2/v4 required. It can be
 * stopped and started again on the same port and folder, as a restarted MinIO would be.
 */
public final class S3ProxyServer implements AutoCloseable {

  public static final String IDENTITY = "scalesweep-test";

  private final String credential = "secret-" + UUID.randomUUID();
  private final Path folder;
  private final BlobStore blobStore;
  private S3Proxy proxy;
  private int port;

  public S3ProxyServer(Path folder) throws Exception {
    this(folder, UnaryOperator.identity());
  }

  /** {@code wrap} may put a fault-injecting blob store in front of the file system one. */
  public S3ProxyServer(Path folder, UnaryOperator<BlobStore> wrap) throws Exception {
    this.folder = Files.createDirectories(folder);
    this.blobStore = wrap.apply(new FilesystemNio2BlobStore(folder.toString()));
    start();
  }

  public synchronized void start() throws Exception {
    if (proxy != null) {
      return;
    }
    S3Proxy p =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, credential)
            .build();
    p.start();
    port = p.getPort();
    proxy = p;
  }

  public synchronized void stop() throws Exception {
    if (proxy != null) {
      proxy.stop();
      proxy = null;
    }
  }

  /** The secret key clients must sign with (the access key is {@link #IDENTITY}). */
  public String credential() {
    return credential;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Options for a store on this server: small parts, quick retries, so tests stay fast. */
  public StorageOptions options() {
    return StorageOptions.defaults()
        .withEndpoint(endpoint())
        .withPathStyle(true)
        .withCredentials(IDENTITY, credential)
        .withMultipart(StorageOptions.MIN_PART_SIZE, StorageOptions.MIN_PART_SIZE)
        .withRetries(3, Duration.ofMillis(20));
  }

  /** A plain SDK client, to act behind the store's back. */
  public S3Client rawClient() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(endpoint()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, credential)))
        .build();
  }

  public void createBucket(String bucket) {
    try (S3Client s3 = rawClient()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Where the file system blob store keeps an object. */
  public Path blobFile(String bucket, String s3Key) {
    return folder.resolve(bucket).resolve(s3Key);
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
