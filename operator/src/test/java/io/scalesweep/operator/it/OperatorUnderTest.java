package io.scalesweep.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scalesweep.operator.config.DeletionSettings;
import io.scalesweep.operator.config.TrainerSettings;
import io.scalesweep.operator.metrics.SweepMetrics;
import io.scalesweep.operator.sweep.ScalingSweepReconciler;
import io.scalesweep.operator.sweep.SweepDeletionReconciler;
import io.scalesweep.operator.sweep.SweepTrainingJobsDependentResource;
import io.scalesweep.operator.trainingjob.TrainingJobReconciler;
import io.scalesweep.operator.trainingjob.TrialJobDependentResource;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The operator's two reconcilers in a plain JOSDK {@link Operator}, in this JVM, against the test
 * API server, watching the namespaces it is given (none: every namespace). It can be stopped and
 * started again like a restarted operator pod: nothing survives but what is stored in the API
 * server.
 *
 * <p>It runs as the chart's ServiceAccount with exactly the rights the chart renders ({@link
 * ChartRbac}; by default {@code watchNamespaces} set to its namespaces), not as the admin client it
 * is given, which only installs that RBAC. When it is closed, the API server's audit log must show
 * that it was refused nothing, so a right the chart lacks fails the test even where the operator
 * only logs the failure. {@code -Dit.scalesweep.rbac=cluster} runs it under the default render (a
 * ClusterRole), {@code admin} as the admin (no RBAC at all).
 *
 * <p>Quarkus wires the same classes by CDI; here the one constructor argument the dependents
 * take (the trainer settings) is passed by a small dependent-resource factory.
 */
public final class OperatorUnderTest implements AutoCloseable {

  public static final TrainerSettings SETTINGS = new TrainerSettings("registry.test/scalesweep/trainer:it", "IfNotPresent");

  private final KubernetesClient admin;
  private final String[] namespaces;
  private final TrainerSettings settings;
  private final ChartRbac.Mode mode;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Interceptor observer;
  private UnaryOperator<List<HasMetadata>> rbacEdit = UnaryOperator.identity();
  private DeletionSettings deletion = DeletionSettings.defaults();
  private ChartRbac.Installed rbac;
  private KubernetesClient client;
  private Operator operator;

  /** @param admin the tests' client: installs the chart's RBAC (or is the operator's, in admin mode) */
  public OperatorUnderTest(KubernetesClient admin, String... namespaces) {
    this(admin, SETTINGS, namespaces);
  }

  /** With other settings, for example a stricter admission policy. */
  public OperatorUnderTest(KubernetesClient admin, TrainerSettings settings, String... namespaces) {
    this(admin, settings, ChartRbac.Mode.fromProperty(), namespaces);
  }

  /** Under the RBAC of that mode, whatever {@code -Dit.scalesweep.rbac} says. */
  public OperatorUnderTest(KubernetesClient admin, TrainerSettings settings, ChartRbac.Mode mode, String... namespaces) {
    this.admin = admin;
    this.settings = settings;
    this.mode = mode;
    this.namespaces = namespaces.clone();
  }

  /** With another deletion timeout (before start), to see the operator give up within a test. */
  public OperatorUnderTest withDeletion(DeletionSettings deletion) {
    this.deletion = deletion;
    return this;
  }

  /** Passes every request of the operator's own client through the interceptor (before start). */
  public OperatorUnderTest observedBy(Interceptor interceptor) {
    this.observer = interceptor;
    return this;
  }

  /** Changes the chart's RBAC objects before they are applied, for example to take a rule away. */
  public OperatorUnderTest withRbacEdit(UnaryOperator<List<HasMetadata>> edit) {
    this.rbacEdit = edit;
    return this;
  }

  public synchronized OperatorUnderTest start() {
    if (client == null) {
      client = connect();
    }
    SweepMetrics metrics = new SweepMetrics(registry);
    String[] watched = namespaces.length == 0 ? new String[] {Constants.WATCH_ALL_NAMESPACES} : namespaces;
    operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .checkingCRDAndValidateLocalModel(false)
        .withDependentResourceFactory(new SettingsAwareFactory(settings)));
    operator.register(new TrainingJobReconciler(metrics, settings), c -> c.settingNamespaces(watched));
    operator.register(new ScalingSweepReconciler(metrics, settings), c -> c.settingNamespaces(watched));
    operator.register(new SweepDeletionReconciler(metrics, settings, deletion), c -> c.settingNamespaces(watched));
    operator.start();
    return this;
  }

  /** The operator's own client: the chart's ServiceAccount, or the admin in admin mode. */
  private KubernetesClient connect() {
    if (mode == ChartRbac.Mode.ADMIN) {
      return observer == null ? admin : TestApiServer.shared().newClient(observer);
    }
    List<String> watch = mode == ChartRbac.Mode.NAMESPACED ? Arrays.asList(namespaces) : List.of();
    rbac = ChartRbac.install(admin, ChartRbac.newRelease(), watch, rbacEdit);
    return ChartRbac.client(admin, rbac, observer);
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

  /** What the chart installed for this operator; null in admin mode or before start. */
  ChartRbac.Installed rbac() {
    return rbac;
  }

  /** Stops, and fails if the API server refused the operator anything; removes its RBAC. */
  @Override
  public synchronized void close() {
    stop();
    if (client != null && client != admin) {
      client.close();
    }
    client = null;
    if (rbac != null) {
      ChartRbac.Installed installed = rbac;
      rbac = null;
      List<AuditLog.Request> refused = TestApiServer.shared().auditLog().refused(installed.username());
      ChartRbac.uninstall(admin, installed);
      assertThat(refused).as("requests of %s the API server refused (the chart's RBAC lacks them)", installed.username())
          .isEmpty();
    }
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
