package io.scalesweep.trainer.cli;

import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.trainer.plan.SweepPlan;
import io.scalesweep.trainer.plan.SweepPlanPrinter;
import java.io.PrintWriter;
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
          + "then totals."
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

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    SweepPlan plan = SweepPlan.of(ManifestReader.readSweep(file));
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(SweepPlanPrinter.json(plan));
    } else {
      out.print(SweepPlanPrinter.table(plan));
    }
    out.flush();
    return 0;
  }
}
