package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.v1alpha1.TrainingProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressFileTest {

  @TempDir Path dir;

  private final AtomicLong clock = new AtomicLong();

  @Test
  void writesTheFirstStepThenAtMostOncePerIntervalAndAlwaysTheStagesLastStep() throws IOException {
    LocalTrialOutput output = new LocalTrialOutput(dir);
    ProgressFile file = new ProgressFile(output, Duration.ofSeconds(30), clock::get);

    file.stepped(step(Phase.PRETRAIN, 1, 100));
    assertThat(read(output).getStep()).isEqualTo(1);

    clock.addAndGet(Duration.ofSeconds(29).toNanos());
    file.stepped(step(Phase.PRETRAIN, 40, 100));
    assertThat(read(output).getStep()).as("within the interval: not rewritten").isEqualTo(1);

    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    file.stepped(step(Phase.PRETRAIN, 41, 100));
    assertThat(read(output).getStep()).isEqualTo(41);

    file.stepped(step(Phase.PRETRAIN, 100, 100));
    TrainingProgress last = read(output);
    assertThat(last.getStep()).as("a stage's last step is always written").isEqualTo(100);
    assertThat(last.getStage()).isEqualTo("pretrain");
    assertThat(last.getTotalSteps()).isEqualTo(100);
    assertThat(last.getLoss()).isEqualTo(2.5);
    assertThat(last.getTokensPerSecond()).isEqualTo(1000.0);
    assertThat(last.getEtaSeconds()).isEqualTo(12);
    assertThat(last.getUpdated()).isNotBlank();
  }

  @Test
  void nonFiniteValuesAreLeftOutRatherThanWrittenAsNaN() {
    Progress p = new Progress(Phase.FINETUNE, 3, 10, Double.NaN, Double.NaN, 1e-3f, 1f,
        Double.POSITIVE_INFINITY, 1, 1, Double.NaN, 0, 0, true);
    TrainingProgress report = ProgressFile.report(p, java.time.Instant.EPOCH);
    assertThat(report.getStage()).isEqualTo("finetune");
    assertThat(report.getLoss()).isNull();
    assertThat(report.getTokensPerSecond()).isNull();
    assertThat(report.getEtaSeconds()).isNull();
  }

  private static Progress step(Phase phase, long step, long total) {
    return new Progress(phase, step, total, 2.4, 2.5, 1e-3f, 1f, 1000.0, 5.0, step / 5.0, 12.3, 0, 0, step == 1);
  }

  private static TrainingProgress read(LocalTrialOutput output) throws IOException {
    return new ObjectMapper().readValue(output.readAll(StorageLayout.PROGRESS_FILE), TrainingProgress.class);
  }
}
