package io.scalesweep.trainer.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code scalesweep} command line: one app for planning, local sweeps and the trial pod. */
@TopCommand
@Command(
    name = "scalesweep",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Plan and run model-shape sweeps of T5 encoder-decoders (Tay et al. 2021, \"Scale Efficiently\").",
      ""
    },
    subcommands = {PlanCommand.class, RunCommand.class, TrainCommand.class, ReportCommand.class, BenchCommand.class},
    footer = {
      "",
      "Exit codes: 0 success, 1 failure, 2 invalid input (the message names the field),",
      "            3 fewer GPUs visible than the pod was promised.",
      "Examples: scalesweep run examples/quickstart.yaml",
      "          scalesweep plan examples/deepnarrow-small.yaml",
      "          scalesweep train --trial trial.yaml --output runs/trial",
      "          scalesweep bench --shape SM --threads 2"
    })
public class ScalesweepCommand {}
