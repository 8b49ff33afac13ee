package io.scalesweep.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scalesweep.api.contract.TrainerContract;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The termination message is the result as JSON and always fits the kubelet's 4 KiB. */
class TerminationMessageTest {

  @Test
  void theResultIsWrittenWhole() throws IOException {
    TrialResult result = result();
    result.setDownstream(Map.of("boolq", 71.5));
    byte[] json = TerminationMessage.json(result);
    TrialResult read = new ObjectMapper().readValue(json, TrialResult.class);
    assertThat(read.getNegLogPerplexity()).isEqualTo(-1.825);
    assertThat(read.getDownstream()).containsEntry("boolq", 71.5);
  }

  @Test
  void tooManyDownstreamScoresAreDroppedToStayUnder4KiB() throws IOException {
    TrialResult result = result();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (int i = 0; i < 400; i++) {
      scores.put("task-with-a-long-name-" + i, 50.0 + i / 10.0);
    }
    result.setDownstream(scores);
    byte[] json = TerminationMessage.json(result);
    assertThat(json.length).isLessThanOrEqualTo(TrainerContract.TERMINATION_MESSAGE_MAX_BYTES);
    TrialResult read = new ObjectMapper().readValue(json, TrialResult.class);
    assertThat(read.getDownstream()).isNull();
    assertThat(read.getParams()).isEqualTo(134_000_000L);
    assertThat(read.getDownstreamAverage()).isEqualTo(78.7);
  }

  private static TrialResult result() {
    TrialResult r = new TrialResult();
    r.setParams(134_000_000L);
    r.setFlops(7_200_000_000_000L);
    r.setSteps(524_288L);
    r.setTokensPerSecond(12345.6);
    r.setStepsPerSecond(13.0);
    r.setFinalLoss(1.9);
    r.setNegLogPerplexity(-1.825);
    r.setDownstreamAverage(78.7);
    r.setWallSeconds(3600.0);
    r.setDevice("gpu(0)");
    return r;
  }
}
