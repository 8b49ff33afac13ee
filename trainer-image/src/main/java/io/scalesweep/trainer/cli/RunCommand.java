package io.scalesweep.trainer.cli;

import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.manifest.ManifestReader;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import io.scalesweep.trainer.report.SweepReport;
import io.scalesweep.trainer.sweep.LocalSweep;
import io.scalesweep.trainer.sweep.ResultsTable;
import java.io.IOException;
import java.io.PrintWriter;
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

/** {@code scalesweep run}: a whole sweep on this machine, then its results and report. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run a whole ScalingSweep on this machine, no cluster needed: every trial pretrained "
          + "one after another with the same trainer a pod runs, then the results table with "
          + "Pareto marks and an HTML report with charts.",
      "",
      "Rerunning the same command continues an interrupted sweep: finished trials are kept, an "
          + "interrupted one resumes from its newest complete checkpoint."
    })
public class RunCommand implements Callable<Integer> {

  static final String DEFAULT_ROOT = "scalesweep-runs";

  @Parameters(paramLabel = "FILE", description = "ScalingSweep manifest (YAML or JSON).")
  Path file;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "URI",
      description = "Storage root: a folder, file:// or s3:// URI (default: the sweep's "
          + "spec.storage.uri, else ./" + DEFAULT_ROOT + "). The sweep writes under URI/<sweep>/.")
  String output;

  @Option(names = "--no-report", description = "Skip the HTML report.")
  boolean noReport;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    ScalingSweep sweep = ManifestReader.readSweep(file);
    String root = root(sweep);
    PrintWriter out = spec.commandLine().getOut();
    LocalSweep.Outcome outcome = new LocalSweep(sweep, root, out, System.console() != null).run();
    out.println();
    out.print(ResultsTable.render(outcome.catalog()));
    out.println("Catalog: " + outcome.catalogUri());
    if (!noReport) {
      out.println("Report:  " + report(outcome, root));
    }
    out.flush();
    return outcome.failed() > 0 ? 1 : 0;
  }

  private String root(ScalingSweep sweep) {
    String r = output;
    if (r == null && sweep.getSpec().getStorage() != null) {
      r = sweep.getSpec().getStorage().getUri();
    }
    if (r == null) {
      r = DEFAULT_ROOT;
    }
    return r.contains("://") ? r : Path.of(r).toAbsolutePath().normalize().toString();
  }

  /** Writes the report beside the catalog; for object storage, renders locally and uploads. */
  private static String report(LocalSweep.Outcome outcome, String root) throws IOException {
    String sweepUri = StorageLayout.sweepUri(root, null, outcome.catalog().sweep());
    boolean remote = sweepUri.contains("://") && !sweepUri.startsWith("file:");
    if (!remote) {
      Path dir = (sweepUri.startsWith("file:") ? Path.of(URI.create(sweepUri)) : Path.of(sweepUri)).resolve("report");
      return SweepReport.write(outcome.catalog(), dir).get(0).toString();
    }
    Path dir = Files.createTempDirectory("scalesweep-report");
    List<Path> files = SweepReport.write(outcome.catalog(), dir);
    try (ObjectStore store = ObjectStores.open(sweepUri, StorageOptions.fromEnvironment())) {
      for (Path f : files) {
        store.put("report/" + f.getFileName(), f);
      }
      return store.uriOf("report/index.html") + " (local copy: " + files.get(0) + ")";
    }
  }
}
