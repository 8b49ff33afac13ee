package io.scalesweep.operator.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.sweep.ScalingSweepReconciler;
import io.scalesweep.operator.sweep.SweepTrainingJobsDependentResource;
import io.scalesweep.operator.trainingjob.TrainingJobReconciler;
import io.scalesweep.operator.trainingjob.TrialJobDependentResource;

/**
 * The operator's two reconcilers in a plain JOSDK {@link Operator}, in this JVM, against the test
 * API server, watching the namespaces it is given. It can be stopped and started again like a restarted
 * operator pod: nothing survives but what is stored in the API server.
 *
 * <p>Quarkus wires the same classes by CDI; here the one constructor argument the dependents
 * take (the trainer settings) is passed by a small dependent-resource factory.
 */
public final class OperatorUnderTest implements AutoCloseable {

  public static final TrainerSettings SETTINGS = new TrainerSettings("registry.test/scalesweep/trainer:it", "IfNotPresent");

  private final KubernetesClient client;
  private final String[] namespaces;
  private final TrainerSettings settings;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Operator operator;

  public OperatorUnderTest(KubernetesClient client, String... namespaces) {
    this(client, SETTINGS, namespaces);
  }

  /** With other settings, for example a stricter admission policy. */
  public OperatorUnderTest(KubernetesClient client, TrainerSettings settings, String... namespaces) {
    this.client = client;
    this.settings = settings;
    this.namespaces = namespaces.clone();
  }

  public synchronized OperatorUnderTest start() {
    SweepMetrics metrics = new SweepMetrics(registry);
    operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .checkingCRDAndValidateLocalModel(false)
        .withDependentResourceFactory(new SettingsAwareFactory(settings)));
    operator.register(new TrainingJobReconciler(metrics, settings), c -> c.settingNamespaces(namespaces));
    operator.register(new ScalingSweepReconciler(metrics, settings), c -> c.settingNamespaces(namespaces));
    operator.start();
    return this;
  }

  /** Stops like a pod that is deleted: informers and reconciliation stop, nothing is cleaned up. */
  public synchronized void stop() {
    if (operator != null) {
      operator.stop();
      operator = null;
    }
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    stop();
  }

  /** JOSDK's default factory, except that the dependents CDI injects get the settings. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static final class SettingsAwareFactory implements DependentResourceFactory {

    private final TrainerSettings settings;

    SettingsAwareFactory(TrainerSettings settings) {
      this.settings = settings;
    }

    @Override
    public DependentResource createFrom(DependentResourceSpec spec, ControllerConfiguration configuration) {
      DependentResource dependent;
      if (spec.getDependentResourceClass() == TrialJobDependentResource.class) {
        dependent = new TrialJobDependentResource(settings);
      } else if (spec.getDependentResourceClass() == SweepTrainingJobsDependentResource.class) {
        dependent = new SweepTrainingJobsDependentResource(settings);
      } else {
        return DependentResourceFactory.DEFAULT.createFrom(spec, configuration);
      }
      configure(dependent, spec, configuration);
      return dependent;
    }
  }
}
