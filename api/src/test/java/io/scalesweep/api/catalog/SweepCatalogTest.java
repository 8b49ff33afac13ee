package io.scalesweep.api.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepCatalogTest {

  @Test
  void marksParetoMembersAndSurvivesAJsonRoundTrip() {
    Shape small = BaseSize.SMALL.shape();
    Shape deep = small.withEncoderLayers(16).withDecoderLayers(16);
    Shape wide = small.withDModel(1024);
    List<CatalogEntry> entries =
        List.of(
            entry("sm", "SM", small, -2.0, 1000.0),
            entry("nl16-sm", "NL16-SM", deep, -1.8, 500.0),
            entry("dm1k-sm", "DM1K-SM", wide, -2.1, 400.0), // bigger than SM and worse
            new CatalogEntry("nl32-sm", "NL32-SM", small, TrialPhase.Running, 1, 1, null, null, null, null));

    SweepCatalog catalog = SweepCatalog.fromJson(SweepCatalog.of("s", "2026-11-22T00:00:00Z", entries).toJson());

    assertThat(catalog.trials()).hasSize(4);
    assertThat(catalog.trials().get(0).pareto()).contains("upstream/params", "upstream/throughput");
    assertThat(catalog.trials().get(1).pareto()).contains("upstream/params");
    assertThat(catalog.trials().get(2).pareto()).doesNotContain("upstream/params");
    assertThat(catalog.trials().get(3).pareto()).as("unfinished trials are on no frontier").isEmpty();
    assertThat(catalog.trials().get(1).shape()).isEqualTo(deep);
    assertThat(catalog.trials().get(1).result().getNegLogPerplexity()).isEqualTo(-1.8);
    assertThat(catalog.pareto()).extracting(p -> p.getQuality() + "/" + p.getCost())
        .containsExactly("upstream/params", "upstream/flops", "upstream/throughput");
    assertThat(catalog.fits()).as("three distinct sizes fit a power law").hasSize(1);
  }

  private static CatalogEntry entry(String name, String code, Shape shape, double nlp, double tokensPerSecond) {
    TrialResult r = new TrialResult();
    r.setNegLogPerplexity(nlp);
    r.setTokensPerSecond(tokensPerSecond);
    long params = ParamCounter.count(shape);
    return new CatalogEntry(name, code, shape, TrialPhase.Succeeded, params, params * 6, r, "file:///r/" + name, null, null);
  }
}
