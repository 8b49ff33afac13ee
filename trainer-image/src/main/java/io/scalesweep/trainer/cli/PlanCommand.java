package io.scalesweep.trainer.cli;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.trainer.plan.SweepPlan;
import io.scalesweep.trainer.plan.SweepPlanPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalesweep plan}: expands a sweep and prices every trial, without training anything. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Expand a ScalingSweep manifest into its trials without running anything.",
      "",
      "Prints, per trial, the notation code, the resolved shape, the exact parameter count and "
          + "the training FLOPs of one optimizer step (batchSize x inputLength/targetLength), "
          + "then totals.",
      "",
      "Also prints each trial's GPUs (the first resources.byShape rule it is within, or the "
          + "sweep's plain resources) and its pretraining GPU-hours: steps x tokens per step over "
          + "the tokens/s measured for its shape in --catalog, else its rule's tokensPerSecondPerGpu, "
          + "else resources.tokensPerSecondPerGpu. The THROUGHPUT column says which."
    })
public class PlanCommand implements Callable<Integer> {

  /** Output formats of the plan. */
  enum Format {
    table,
    json
  }

  @Parameters(paramLabel = "FILE", description = "ScalingSweep manifest (YAML or JSON).")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Format output;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "catalog.json of an earlier run (scalesweep run writes one): its measured tokens/s "
          + "replace the manifest's figures for the shapes it trained.")
  Path catalog;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SweepPlan plan = SweepPlan.of(ManifestReader.readSweep(file), catalog == null ? null : readCatalog(catalog));
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(SweepPlanPrinter.json(plan));
    } else {
      out.print(SweepPlanPrinter.table(plan));
    }
    out.flush();
    return 0;
  }

  private static SweepCatalog readCatalog(Path path) {
    try {
      return SweepCatalog.fromJson(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw new InvalidSpecException("--catalog", "--catalog " + path + ": no such file");
    } catch (IOException | UncheckedIOException e) {
      throw new InvalidSpecException("--catalog", "--catalog " + path + ": " + e.getMessage());
    }
  }
}
