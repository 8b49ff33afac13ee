package io.scalesweep.trainer.cli;

import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.trainer.report.SweepReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalesweep report}: charts and tables from a sweep's catalog. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write an HTML report with PNG charts from a sweep's catalog.json: quality against "
          + "parameters, FLOPs and throughput with the Pareto frontiers, upstream against "
          + "downstream quality, and the power-law fits."
    })
public class ReportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "SWEEP_DIR", description = "The sweep's folder (holding catalog.json), or catalog.json itself; a path or file:// URI.")
  String location;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Where to write the report (default: SWEEP_DIR/report).")
  Path output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path catalogFile = catalogPath(location);
    if (!Files.isRegularFile(catalogFile)) {
      throw new InvalidSpecException("SWEEP_DIR", "no " + StorageLayout.CATALOG_FILE + " at " + catalogFile
              + ": give a sweep's folder (for example scalesweep-runs/quickstart, written by "
              + "scalesweep run) or the catalog file itself");
    }
    SweepCatalog catalog;
    try {
      catalog = SweepCatalog.fromJson(Files.readAllBytes(catalogFile));
    } catch (UncheckedIOException e) {
      throw new InvalidSpecException("SWEEP_DIR", catalogFile + ": " + e.getMessage());
    }
    Path dir = output != null ? output : catalogFile.getParent().resolve("report");
    List<Path> files = SweepReport.write(catalog, dir);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Report: " + files.get(0).toAbsolutePath() + " (" + (files.size() - 1) + " charts)");
    out.flush();
    return 0;
  }

  static Path catalogPath(String location) {
    Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    return Files.isDirectory(p) ? p.resolve(StorageLayout.CATALOG_FILE) : p;
  }
}
