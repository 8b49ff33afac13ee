package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.S3ProxyServer;
import io.scalesweep.trainer.PackagedApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged trainer against a real S3 server (S3Proxy), configured only through the pod's
 * environment: the corpus is read from a bucket, checkpoints and results are written to another,
 * and a retried pod resumes from the newest complete checkpoint it finds there.
 */
class TrainOnS3IT {

  private static final String OUTPUT = "s3://sweeps/tiny-sweep/tiny/";

  @TempDir Path dir;

  @Test
  void trainsFromAndIntoObjectStorageAndResumesThere() throws Exception {
    try (S3ProxyServer s3 = new S3ProxyServer(dir.resolve("s3"))) {
      s3.createBucket("corpora");
      s3.createBucket("sweeps");
      Path corpus = TinyTrials.corpus(dir, 400, 9);
      try (ObjectStore corpora = ObjectStores.open("s3://corpora/", s3.options())) {
        corpora.put("tiny/corpus.txt", corpus);
      }
      Path trial = dir.resolve("trial.yaml");
      Files.writeString(trial, TinyTrials.manifest("s3://corpora/tiny/corpus.txt", 30, 10));
      Map<String, String> env = Map.of(
          TrainerContract.ENV_S3_ENDPOINT, s3.endpoint(),
          TrainerContract.ENV_S3_PATH_STYLE, "true",
          TrainerContract.ENV_AWS_REGION, "us-east-1",
          TrainerContract.ENV_AWS_ACCESS_KEY_ID, S3ProxyServer.IDENTITY,
          TrainerContract.ENV_AWS_SECRET_ACCESS_KEY, s3.credential());

      run(trial, env, "first");

      try (ObjectStore out = ObjectStores.open(OUTPUT, s3.options())) {
        assertThat(out.list("")).contains(
            StorageLayout.RESULT_FILE, StorageLayout.METRICS_FILE,
            "checkpoints/step-30/" + StorageLayout.CHECKPOINT_MANIFEST,
            "checkpoints/step-20/" + StorageLayout.CHECKPOINT_MANIFEST);
        JsonNode first = new ObjectMapper().readTree(out.get(StorageLayout.RESULT_FILE));
        assertThat(first.get("steps").asLong()).isEqualTo(30);

        // A pod that died while writing step 30: its manifest (written last) never arrived.
        out.delete(StorageLayout.RESULT_FILE);
        out.delete("checkpoints/step-30/" + StorageLayout.CHECKPOINT_MANIFEST);
        run(trial, env, "retry");

        JsonNode retried = new ObjectMapper().readTree(out.get(StorageLayout.RESULT_FILE));
        assertThat(retried.get("finalLoss").asDouble())
            .as("resumed from step 20 in the bucket, same result as the uninterrupted run")
            .isEqualTo(first.get("finalLoss").asDouble());
        assertThat(Files.readString(PackagedApp.stderr(dir.resolve("retry")))).contains("step 20");
      }
    }
  }

  private void run(Path trial, Map<String, String> env, String name) throws Exception {
    Path logs = dir.resolve(name);
    Process p = PackagedApp.start(logs, env, "train", "--trial", trial.toString(), "--output", OUTPUT);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s finished in time", name).isTrue();
    assertThat(p.exitValue()).as(Files.readString(PackagedApp.stderr(logs))).isZero();
  }
}
