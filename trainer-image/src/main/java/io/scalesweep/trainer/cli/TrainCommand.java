package io.scalesweep.trainer.cli;

import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.storage.StorageOptions;
import io.scalesweep.trainer.data.ObjectCorpusStore;
import io.scalesweep.trainer.train.GpuCheck;
import io.scalesweep.trainer.train.TrialRun;
import io.scalesweep.trainer.train.ProgressReporter;
import io.scalesweep.trainer.train.TerminationMessage;
import io.scalesweep.trainer.train.TrialOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalesweep train}: pretrains and fine-tunes one trial, resuming from its newest complete
 * checkpoint.
 */
@Command(
    name = TrainerContract.TRAIN_COMMAND,
    mixinStandardHelpOptions = true,
    description = {
      "Pretrain one trial (what a TrainingJob's pod runs) and evaluate it on held-out text; "
          + "with spec.finetune, then fine-tune it on its tasks and score each validation split "
          + "by greedy decoding.",
      "",
      "Writes under the output: metrics.jsonl (one line per logged step of either phase), "
          + "checkpoints/step-N/ (model.safetensors with Hugging Face T5 names, "
          + "optimizer.safetensors, state.json, and manifest.json last), finetune/checkpoints/"
          + "step-N/ and finetune/predictions/<task>.jsonl when fine-tuning, and result.json. "
          + "Run it again with the same arguments to resume from the newest complete checkpoint; "
          + "a finished trial only prints its result.",
      "",
      "Progress goes to stderr, the result (JSON) to stdout and to the termination-message file "
          + "("
          + TrainerContract.TERMINATION_LOG
          + ", or $"
          + TrainerContract.ENV_TERMINATION_LOG
          + ")."
    },
    footer = {
      "",
      "Exit codes: 0 done, 1 failure, "
          + TrainerContract.EXIT_INVALID_TRIAL
          + " invalid trial (the message names the field; retrying cannot help), "
          + TrainerContract.EXIT_NO_GPU
          + " fewer GPUs visible than $"
          + TrainerContract.ENV_EXPECTED_GPUS
          + " promises.",
      "Threads: java -Dai.djl.pytorch.num_threads=N (SCALESWEEP_JAVA_OPTS for the scalesweep"
          + " script); set it to the CPU limit.",
      "Example: scalesweep train --trial trial.yaml --output runs/tiny"
    })
public class TrainCommand implements Callable<Integer> {

  @Option(
      names = TrainerContract.OPT_TRIAL,
      required = true,
      paramLabel = "FILE",
      description =
          "TrainingJob manifest (YAML or JSON); relative dataset paths are read from its folder.")
  Path trial;

  @Option(
      names = TrainerContract.OPT_OUTPUT,
      required = true,
      paramLabel = "URI",
      description =
          "Where the trial writes: a local folder, file:// or s3://bucket/prefix/ URI (S3 "
              + "endpoint, region and keys from SCALESWEEP_S3_ENDPOINT, AWS_REGION, "
              + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY). Datasets may be s3:// too.")
  String output;

  @Option(
      names = "--log-every",
      paramLabel = "STEPS",
      description =
          "Steps between progress lines and metrics.jsonl lines (default: about 100 per run).")
  Long logEvery;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    TrainingJob job = ManifestReader.readTrainingJob(trial);
    PrintWriter err = spec.commandLine().getErr();
    TrialResult result;
    // corpora may live in object storage too (s3://...), reached with the pod's credentials
    try (ObjectCorpusStore corpora = new ObjectCorpusStore(StorageOptions.fromEnvironment())) {
      TrialRun run =
          new TrialRun(job, TrialOutputs.open(output))
              .corpus(corpora)
              .owner(System.getenv(TrainerContract.ENV_OWNER_UID))
              .listener(new ProgressReporter(err));
      if (logEvery != null) {
        run.logEvery(logEvery);
      }
      result = run.run();
    } catch (GpuCheck.MissingGpuException e) {
      err.println("scalesweep: " + e.getMessage());
      err.flush();
      return TrainerContract.EXIT_NO_GPU;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(new String(TerminationMessage.json(result), StandardCharsets.UTF_8));
    out.flush();
    TerminationMessage.write(result);
    return 0;
  }
}
