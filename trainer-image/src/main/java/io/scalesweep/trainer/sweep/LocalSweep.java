package io.scalesweep.trainer.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.catalog.CatalogEntry;
import io.scalesweep.api.catalog.SweepCatalog;
import io.scalesweep.api.contract.StorageLayout;
import io.scalesweep.api.shape.Trial;
import io.scalesweep.api.shape.TrialSpecs;
import io.scalesweep.api.v1alpha1.KeepCheckpoints;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import io.scalesweep.api.v1alpha1.TrialPhase;
import io.scalesweep.api.v1alpha1.TrialResult;
import io.scalesweep.storage.ObjectStore;
import io.scalesweep.storage.ObjectStores;
import io.scalesweep.storage.StorageOptions;
import io.scalesweep.trainer.data.ObjectCorpusStore;
import io.scalesweep.trainer.plan.SweepPlan;
import io.scalesweep.trainer.train.Interruption;
import io.scalesweep.trainer.train.TrialRun;
import io.scalesweep.trainer.train.TrialOutput;
import io.scalesweep.trainer.train.TrialOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A whole sweep on this machine, no cluster: the trials one after another through the same trainer
 * a pod runs, each writing under {@code <root>/<sweep>/<trial>/}, with the catalog rewritten after
 * every trial. A trial that already has its result.json is not run again, and one that was
 * interrupted resumes from its newest complete checkpoint, so an interrupted sweep just continues.
 */
public final class LocalSweep {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** No namespace outside a cluster: a local sweep writes {@code <root>/<sweep>/}. */
  private static final String LOCAL = null;

  private final ScalingSweep sweep;
  private final String root;
  private final PrintWriter out;
  private final boolean terminal;

  /**
   * @param root storage root: a local folder, file:// or s3:// URI
   * @param terminal whether {@code out} is a terminal (progress bars redraw in place)
   */
  public LocalSweep(ScalingSweep sweep, String root, PrintWriter out, boolean terminal) {
    this.sweep = sweep;
    this.root = root;
    this.out = out;
    this.terminal = terminal;
  }

  /** What a run produced. */
  public record Outcome(SweepCatalog catalog, String catalogUri, int failed) {}

  public Outcome run() throws IOException {
    SweepPlan plan = SweepPlan.of(sweep);
    String name = plan.sweep();
    StorageOptions options = StorageOptions.fromEnvironment();
    List<SweepPlan.Row> rows = plan.rows();
    CatalogEntry[] entries = new CatalogEntry[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      entries[i] = pending(name, rows.get(i));
    }
    out.printf(Locale.ROOT, "Sweep %s: %d trials, one after another, into %s%n",
        name, rows.size(), StorageLayout.sweepUri(root, LOCAL, name));
    out.flush();
    int failed = 0;
    long started = System.nanoTime();
    try (ObjectStore sweepStore = ObjectStores.open(StorageLayout.sweepUri(root, LOCAL, name), options);
        ObjectCorpusStore corpora = new ObjectCorpusStore(options)) {
      for (int i = 0; i < rows.size(); i++) {
        Trial trial = rows.get(i).trial();
        String label = String.format(Locale.ROOT, "[%d/%d] %s", i + 1, rows.size(), trial.code());
        TrialOutput output = TrialOutputs.open(StorageLayout.trialUri(root, LOCAL, name, trial.name()));
        TrialResult result = finishedResult(output);
        if (result != null) {
          out.printf(Locale.ROOT, "%s: finished in an earlier run, kept%n", label);
        } else {
          out.printf(Locale.ROOT, "%s: %,d params, %.3e FLOPs/step (%s elapsed in this sweep)%n",
              label, rows.get(i).params(), (double) rows.get(i).flopsPerStep(), ProgressBar.eta(seconds(started)));
          out.flush();
          try {
            result = new TrialRun(job(name, trial), output)
                .corpus(corpora)
                .listener(new ProgressBar(out, terminal, label))
                .run();
            out.printf(Locale.ROOT, "%s: done, neg. log-perplexity %.4f%s%n",
                label, result.getNegLogPerplexity(),
                result.getDownstreamAverage() == null ? ""
                    : String.format(Locale.ROOT, ", downstream average %.2f", result.getDownstreamAverage()));
          } catch (InvalidSpecException e) {
            throw e; // the recipe is shared: every other trial would fail the same way
          } catch (Interruption.Interrupted e) {
            throw e; // not a failure: the trial resumes when the sweep runs again
          } catch (RuntimeException e) {
            failed++;
            out.printf(Locale.ROOT, "%s: FAILED: %s%n", label, e.getMessage());
          }
        }
        out.flush();
        entries[i] = result == null ? failed(entries[i]) : succeeded(entries[i], result, output);
        write(sweepStore, catalog(name, entries));
      }
      SweepCatalog catalog = retain(name, catalog(name, entries));
      write(sweepStore, catalog);
      return new Outcome(catalog, sweepStore.uriOf(StorageLayout.CATALOG_FILE), failed);
    }
  }

  private SweepCatalog retain(String name, SweepCatalog catalog) throws IOException {
    KeepCheckpoints policy = sweep.getSpec().getStorage() == null || sweep.getSpec().getStorage().getKeepCheckpoints() == null
        ? KeepCheckpoints.FINAL
        : sweep.getSpec().getStorage().getKeepCheckpoints();
    List<CatalogEntry> kept = new ArrayList<>();
    for (CatalogEntry e : catalog.trials()) {
      String trialUri = StorageLayout.trialUri(root, LOCAL, name, e.name());
      String folder = LocalCheckpointPruner.prune(policy, e, TrialOutputs.open(trialUri));
      kept.add(e.withCheckpointUri(folder == null ? null : trialUri + folder));
    }
    return new SweepCatalog(catalog.sweep(), catalog.updated(), kept, catalog.pareto(), catalog.fits());
  }

  private TrainingJob job(String name, Trial trial) {
    TrainingJob job = new TrainingJob();
    job.setMetadata(new ObjectMetaBuilder().withName(trial.name()).build());
    job.setSpec(TrialSpecs.of(name, sweep.getSpec(), trial));
    return job;
  }

  /**
   * The stored result of a trial finished in an earlier run, or null. A result without downstream
   * scores does not count once the sweep fine-tunes: the trial goes on from its last checkpoint.
   */
  private TrialResult finishedResult(TrialOutput output) throws IOException {
    if (!output.exists(StorageLayout.RESULT_FILE)) {
      return null;
    }
    TrialResult stored = JSON.readValue(output.readAll(StorageLayout.RESULT_FILE), TrialResult.class);
    boolean finetunes = sweep.getSpec().getFinetune() != null;
    return finetunes && stored.getDownstream() == null ? null : stored;
  }

  private CatalogEntry pending(String name, SweepPlan.Row row) {
    Trial t = row.trial();
    String trialUri = StorageLayout.trialUri(root, LOCAL, name, t.name());
    return new CatalogEntry(t.name(), t.code(), t.shape(), TrialPhase.Pending, row.params(), row.flopsPerStep(),
        null, trialUri + StorageLayout.RESULT_FILE, null, null);
  }

  private static CatalogEntry failed(CatalogEntry e) {
    return new CatalogEntry(e.name(), e.code(), e.shape(), TrialPhase.Failed, e.params(), e.flops(), null, e.resultUri(), null, null);
  }

  private static CatalogEntry succeeded(CatalogEntry e, TrialResult r, TrialOutput output) {
    return new CatalogEntry(e.name(), e.code(), e.shape(), TrialPhase.Succeeded, e.params(), e.flops(), r,
        output.locate(StorageLayout.RESULT_FILE), null, null);
  }

  private static SweepCatalog catalog(String name, CatalogEntry[] entries) {
    return SweepCatalog.of(name, Instant.now().toString(), List.of(entries));
  }

  private static void write(ObjectStore sweepStore, SweepCatalog catalog) throws IOException {
    sweepStore.put(StorageLayout.CATALOG_FILE, catalog.toJson()); // atomic: readers never see half
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
