package io.scalesweep.operator.it;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scalesweep.operator.common.ClientSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The operator's identity exactly as the chart grants it. Renders {@code charts/scalesweep} with
 * the real helm (helm-java), applies the ServiceAccount, ClusterRoles, Roles and bindings it
 * renders to the test API server, and hands out clients that authenticate as that ServiceAccount
 * with a bound token (TokenRequest). The test API server authorizes with RBAC; the admin client
 * the tests drive the cluster with is in {@code system:masters}, which RBAC never refuses, so only
 * these clients show what the chart's rules allow.
 *
 * <p>The operator ITs run the operator with such a client ({@link OperatorUnderTest}); which
 * render, with {@code -Dit.scalesweep.rbac}: {@code namespaced} (the default: {@code
 * watchNamespaces} set to the namespaces the operator watches, so Roles in them), {@code cluster}
 * (the default install: {@code watchNamespaces: []}, a ClusterRole) or {@code admin} (no RBAC: the
 * operator uses the tests' admin client).
 */
final class ChartRbac {

  /** Which RBAC the operator under test runs with. */
  enum Mode {
    NAMESPACED, CLUSTER, ADMIN;

    static Mode fromProperty() {
      return valueOf(System.getProperty("it.scalesweep.rbac", "namespaced").trim().toUpperCase(Locale.ROOT));
    }
  }

  /** The release namespace: where the ServiceAccount (and any release-local Role) lives. */
  static final String RELEASE_NAMESPACE = "scalesweep-system";
  private static final AtomicInteger RELEASES = new AtomicInteger();
  private static final Duration EFFECTIVE_TIMEOUT = Duration.ofSeconds(30);

  /** What one release put into the API server. */
  record Installed(String release, String serviceAccount, List<HasMetadata> objects) {

    String username() {
      return "system:serviceaccount:" + RELEASE_NAMESPACE + ":" + serviceAccount;
    }

    List<Role> roles() {
      return objects.stream().filter(Role.class::isInstance).map(Role.class::cast).toList();
    }

    List<ClusterRole> clusterRoles() {
      return objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).toList();
    }

    /** Every right the ServiceAccount's Roles and bound ClusterRoles grant, as AuditLog spells them. */
    Set<String> grantedRights() {
      Set<String> rights = new TreeSet<>();
      List<PolicyRule> rules = new ArrayList<>();
      roles().forEach(r -> rules.addAll(r.getRules()));
      boundClusterRoles().forEach(r -> rules.addAll(r.getRules()));
      for (String[] request : requests(rules, null)) {
        rights.add(AuditLog.Request.right(request[1], request[2], request[3]));
      }
      return rights;
    }

    /** The rules bound to the ServiceAccount, by role name (ClusterRoles bound to users are not). */
    List<ClusterRole> boundClusterRoles() {
      List<String> bound = objects.stream().filter(ClusterRoleBinding.class::isInstance).map(ClusterRoleBinding.class::cast)
          .map(b -> b.getRoleRef().getName()).toList();
      return clusterRoles().stream().filter(r -> bound.contains(r.getMetadata().getName())).toList();
    }
  }

  private ChartRbac() {}

  /** A release name of its own, so that every operator gets a ServiceAccount and roles of its own. */
  static String newRelease() {
    return "scalesweep-it-" + RELEASES.incrementAndGet();
  }

  static Path chartDir() {
    String configured = System.getProperty("it.scalesweep.chart.dir");
    if (configured != null) {
      return Path.of(configured);
    }
    // failsafe runs in the operator module; the chart is a sibling of it
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path chart = dir.resolve("charts").resolve("scalesweep");
      if (Files.isRegularFile(chart.resolve("Chart.yaml"))) {
        return chart;
      }
    }
    throw new IllegalStateException("charts/scalesweep not found above " + Path.of("").toAbsolutePath()
        + "; set -Dit.scalesweep.chart.dir");
  }

  /** Everything the chart renders for the release, with {@code watchNamespaces} as given. */
  static List<HasMetadata> render(String release, List<String> watchNamespaces) {
    var template = new Helm(chartDir()).template().withName(release).withNamespace(RELEASE_NAMESPACE);
    for (int i = 0; i < watchNamespaces.size(); i++) {
      template.set("watchNamespaces[" + i + "]", watchNamespaces.get(i));
    }
    return parse(template.call());
  }

  /** The objects that make up the operator's identity and rights. */
  static List<HasMetadata> rbacObjects(List<HasMetadata> rendered) {
    return rendered.stream()
        .filter(o -> o instanceof ServiceAccount || o instanceof Role || o instanceof RoleBinding
            || o instanceof ClusterRole || o instanceof ClusterRoleBinding)
        .toList();
  }

  /** Installs the chart's RBAC for a release watching these namespaces (none: every namespace). */
  static Installed install(KubernetesClient admin, List<String> watchNamespaces) {
    return install(admin, newRelease(), watchNamespaces, UnaryOperator.identity());
  }

  /**
   * Installs the chart's RBAC, after {@code edit} (which may take rules away, to show that the
   * operator needs them), and waits until the API server's authorizer has them.
   */
  static Installed install(KubernetesClient admin, String release, List<String> watchNamespaces,
      UnaryOperator<List<HasMetadata>> edit) {
    List<HasMetadata> objects = edit.apply(rbacObjects(render(release, watchNamespaces)));
    TestApiServer.shared().createNamespace(admin, RELEASE_NAMESPACE);
    for (HasMetadata o : objects) {
      admin.resource(o).serverSideApply();
    }
    String sa = objects.stream().filter(ServiceAccount.class::isInstance).findFirst()
        .orElseThrow(() -> new IllegalStateException("the chart rendered no ServiceAccount"))
        .getMetadata().getName();
    Installed installed = new Installed(release, sa, objects);
    awaitEffective(admin, installed);
    return installed;
  }

  /** Removes what {@link #install} applied. */
  static void uninstall(KubernetesClient admin, Installed installed) {
    for (HasMetadata o : installed.objects()) {
      admin.resource(o).delete();
    }
  }

  /** A client that is the release's ServiceAccount; each request passes the interceptor if given. */
  static KubernetesClient client(KubernetesClient admin, Installed installed, Interceptor interceptor) {
    var builder = new KubernetesClientBuilder().withConfig(config(admin, token(admin, installed)))
        .withKubernetesSerialization(ClientSerialization.create());
    if (interceptor != null) {
      builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("observer", interceptor));
    }
    return builder.build();
  }

  /** A kubeconfig for the ServiceAccount, for the Quarkus application (fabric8 reads it at start). */
  static String kubeconfig(KubernetesClient admin, Installed installed) {
    Config admins = admin.getConfiguration();
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: kubeapitest
            cluster:
              server: %s
              certificate-authority-data: %s
        users:
          - name: %s
            user:
              token: %s
        contexts:
          - name: operator
            context: {cluster: kubeapitest, user: %s, namespace: %s}
        current-context: operator
        """.formatted(admins.getMasterUrl(), caData(admins), installed.serviceAccount(), token(admin, installed),
        installed.serviceAccount(), RELEASE_NAMESPACE);
  }

  /** A bound token of the ServiceAccount, as the kubelet would mount into the operator's pod. */
  static String token(KubernetesClient admin, Installed installed) {
    return admin.serviceAccounts().inNamespace(RELEASE_NAMESPACE).withName(installed.serviceAccount())
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(4 * 3600L).endSpec().build())
        .getStatus().getToken();
  }

  /** The server and its CA from the admin's configuration, and the token; no client certificate. */
  private static Config config(KubernetesClient admin, String token) {
    Config admins = admin.getConfiguration();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(admins.getMasterUrl())
        .withCaCertData(caData(admins))
        .withOauthToken(token)
        .withNamespace(RELEASE_NAMESPACE)
        .build();
  }

  private static String caData(Config config) {
    if (config.getCaCertData() != null) {
      return config.getCaCertData();
    }
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * RBAC rules reach the authorizer through an informer: waits until the ServiceAccount may do
   * everything the rendered rules say, so that an operator started right after has them all.
   * Asked by the admin (SubjectAccessReview), so that the ServiceAccount's own requests in the
   * audit log are the operator's alone.
   */
  private static void awaitEffective(KubernetesClient admin, Installed installed) {
    List<String[]> checks = new ArrayList<>();
    for (Role role : installed.roles()) {
      checks.addAll(requests(role.getRules(), role.getMetadata().getNamespace()));
    }
    for (ClusterRole role : installed.boundClusterRoles()) {
      checks.addAll(requests(role.getRules(), null));
    }
    await().atMost(EFFECTIVE_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> checks.stream()
        .allMatch(c -> allowed(admin, installed, c[0], c[1], c[2], c[3])));
  }

  /** Every request the rules allow, as {namespace, verb, group, resource}. */
  private static List<String[]> requests(List<PolicyRule> rules, String namespace) {
    List<String[]> requests = new ArrayList<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            requests.add(new String[] {namespace, verb, group, resource});
          }
        }
      }
    }
    return requests;
  }

  /**
   * Whether the release's ServiceAccount may make the request ({@code namespace} null: in every
   * namespace, or a cluster-scoped resource; {@code resource} may be {@code resource/subresource}).
   */
  static boolean allowed(KubernetesClient admin, Installed installed, String namespace, String verb, String group,
      String resource) {
    String[] parts = resource.split("/", 2);
    SubjectAccessReview review = new SubjectAccessReviewBuilder()
        .withNewSpec()
        .withUser(installed.username())
        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + RELEASE_NAMESPACE, "system:authenticated")
        .withResourceAttributes(new ResourceAttributesBuilder()
            .withNamespace(namespace)
            .withVerb(verb)
            .withGroup(group)
            .withResource(parts[0])
            .withSubresource(parts.length > 1 ? parts[1] : null)
            .build())
        .endSpec()
        .build();
    return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
  }

  static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    if (parsed instanceof KubernetesList list) {
      return list.getItems();
    }
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }
}
