package io.scalesweep.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.cost.FlopCounter;
import io.scalesweep.api.cost.ParamCounter;
import io.scalesweep.api.shape.BaseSize;
import io.scalesweep.api.shape.Shape;
import io.scalesweep.api.shape.Variant;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders a report from the paper's Table 4 measurements, a sweep with a known shape. */
class SweepReportTest {

  // code, steps/s on TPU (throughput proxy), neg. log-perplexity, average downstream score
  private static final Object[][] TABLE_4 = {
    {"SM", 23, -2.021, 73.57}, {"NL8-MI", 24, -2.056, 73.52}, {"BA", 9, -1.752, 79.16},
    {"NL16-SM", 13, -1.825, 78.73}, {"NL20-SM", 11, -1.798, 79.30}, {"NL22-SM", 10, -1.798, 79.54},
    {"NL24-SM", 9, -1.783, 79.92}, {"EL32-SM", 10, -1.897, 79.81}, {"LG", 4, -1.605, 82.87},
    {"NL36-BA", 3, -1.626, 82.89},
  };

  @TempDir Path tmp;

  @Test
  void writesHtmlAndOnePngPerChart() throws Exception {
    SweepCatalog catalog = table4Catalog();
    // -Dreport.keep=DIR keeps the report, to look at the charts as a reader would
    Path dir = System.getProperty("report.keep") == null ? tmp : Path.of(System.getProperty("report.keep"));

    List<Path> files = SweepReport.write(catalog, dir);

    assertThat(files.get(0).getFileName().toString()).isEqualTo("index.html");
    assertThat(files).extracting(p -> p.getFileName().toString()).contains(
        "upstream-vs-params.png", "upstream-vs-flops.png", "upstream-vs-throughput.png",
        "downstream-vs-params.png", "upstream-vs-downstream.png", "power-law-upstream.png", "power-law-downstream.png");
    for (Path png : files.subList(1, files.size())) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image).as("%s is a readable PNG", png).isNotNull();
      assertThat(image.getWidth()).isEqualTo(ReportCharts.WIDTH);
    }
    String html = Files.readString(files.get(0));
    assertThat(html).contains("Sweep table4", "10 of 10 trials finished", "NL36-BA", "power-law-upstream.png");
    // Large is on the upstream/params frontier: the best upstream quality of all
    CatalogEntry large = catalog.trials().stream().filter(e -> e.code().equals("LG")).findFirst().orElseThrow();
    assertThat(large.pareto()).contains("upstream/params");
    assertThat(html).contains("&#9670; LG");
  }

  static SweepCatalog table4Catalog() {
    List<CatalogEntry> entries = new ArrayList<>();
    for (Object[] row : TABLE_4) {
      String code = (String) row[0];
      Variant v = Variant.parse(code);
      Shape shape = v.shape(v.base().shape());
      TrialResult r = new TrialResult();
      // tokens per second from the paper's steps/s at batch 128 x (512 + 114) tokens
      r.setTokensPerSecond(((Integer) row[1]) * 128.0 * 626);
      r.setNegLogPerplexity((Double) row[2]);
      r.setDownstreamAverage((Double) row[3]);
      entries.add(new CatalogEntry("table4-" + code.toLowerCase(), code, shape, TrialPhase.Succeeded,
          ParamCounter.count(shape), FlopCounter.trainingFlopsPerStep(shape, 128, 512, 114), r, null, null, null));
    }
    return SweepCatalog.of("table4", "2026-11-22T00:00:00Z", entries);
  }
}
