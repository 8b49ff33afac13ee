package io.scalesweep.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The RBAC the chart renders: the operator's rights (one ClusterRole, or a Role per watched
 * namespace), and the aggregated roles for users. The operator ITs (RbacIT in operator/) run the
 * operator under these rules against a real API server; this test pins them down and keeps the
 * template's comments honest.
 */
class RbacTemplateTest {

  private static final Path CHART = Path.of(System.getProperty("scalesweep.chart.dir", "scalesweep"));
  private static final String RELEASE = "scalesweep";
  private static final String RELEASE_NAMESPACE = "scalesweep-system";

  /** Every request the operator makes, as {@code verb group/resource}; core is the "" group. */
  static final Set<String> OPERATOR_RIGHTS = Set.of(
      "list scalesweep.io/scalingsweeps", "watch scalesweep.io/scalingsweeps", "patch scalesweep.io/scalingsweeps",
      "list scalesweep.io/trainingjobs", "watch scalesweep.io/trainingjobs", "create scalesweep.io/trainingjobs",
      "patch scalesweep.io/trainingjobs", "delete scalesweep.io/trainingjobs",
      "patch scalesweep.io/scalingsweeps/status", "patch scalesweep.io/trainingjobs/status",
      "list batch/jobs", "watch batch/jobs", "create batch/jobs", "patch batch/jobs", "delete batch/jobs",
      "list core/configmaps", "watch core/configmaps", "create core/configmaps", "delete core/configmaps",
      "list core/pods", "watch core/pods",
      "create core/events", "patch core/events", "list core/events",
      "get core/secrets");

  @Test
  void byDefaultOneClusterRoleGrantsTheOperatorExactlyWhatItDoes() {
    List<HasMetadata> objects = render(t -> t);

    ClusterRole role = named(objects, ClusterRole.class, RELEASE);
    assertThat(rights(role.getRules())).containsExactlyInAnyOrderElementsOf(OPERATOR_RIGHTS);
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(RELEASE);
    assertThat(binding.getSubjects()).singleElement().satisfies(this::isTheOperator);
    assertThat(objects).noneMatch(o -> o instanceof Role || o instanceof RoleBinding);
  }

  @Test
  void watchNamespacesGetARoleEachAndNothingClusterWide() {
    List<HasMetadata> objects = render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));

    List<Role> roles = all(objects, Role.class);
    assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactly("team-a", "team-b");
    assertThat(roles).allSatisfy(r -> assertThat(rights(r.getRules())).containsExactlyInAnyOrderElementsOf(OPERATOR_RIGHTS));
    List<RoleBinding> bindings = all(objects, RoleBinding.class);
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace()).containsExactly("team-a", "team-b");
    assertThat(bindings).allSatisfy(b -> {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(b.getRoleRef().getName()).isEqualTo(RELEASE);
      assertThat(b.getSubjects()).singleElement().satisfies(this::isTheOperator);
    });
    // Cluster-wide: only the users' roles, bound to nobody by the chart.
    assertThat(objects).noneMatch(ClusterRoleBinding.class::isInstance);
    assertThat(all(objects, ClusterRole.class)).extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder(RELEASE + "-edit", RELEASE + "-view");
  }

  @Test
  void usersGetEditAndViewRolesAggregatedIntoTheBuiltInOnes() {
    List<HasMetadata> objects = render(t -> t);

    ClusterRole edit = named(objects, ClusterRole.class, "scalesweep-edit");
    assertThat(edit.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
    Set<String> editRights = new TreeSet<>();
    for (String kind : List.of("scalingsweeps", "trainingjobs")) {
      for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
        editRights.add(verb + " scalesweep.io/" + kind);
      }
      editRights.add("get scalesweep.io/" + kind + "/status");
    }
    assertThat(rights(edit.getRules())).containsExactlyInAnyOrderElementsOf(editRights);

    ClusterRole view = named(objects, ClusterRole.class, "scalesweep-view");
    assertThat(view.getMetadata().getLabels())
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .doesNotContainKeys("rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-admin");
    Set<String> viewRights = new TreeSet<>();
    for (String kind : List.of("scalingsweeps", "trainingjobs", "scalingsweeps/status", "trainingjobs/status")) {
      for (String verb : List.of("get", "list", "watch")) {
        viewRights.add(verb + " scalesweep.io/" + kind);
      }
    }
    assertThat(rights(view.getRules())).containsExactlyInAnyOrderElementsOf(viewRights);

    assertThat(all(render(t -> t.set("rbac.userRoles", "false")), ClusterRole.class))
        .extracting(r -> r.getMetadata().getName()).containsExactly(RELEASE);
  }

  /** What the template's comments claim, checked against what it renders in both shapes. */
  @Test
  void theCommentsSayWhatTheRulesGrant() throws IOException {
    String template = Files.readString(CHART.resolve("templates/rbac.yaml"));
    String values = Files.readString(CHART.resolve("values.yaml"));
    Set<String> granted = new TreeSet<>(rights(named(render(t -> t), ClusterRole.class, RELEASE).getRules()));
    for (Role role : all(render(t -> t.set("watchNamespaces[0]", "team-a")), Role.class)) {
      granted.addAll(rights(role.getRules()));
    }

    claim(template, "No leases", granted, r -> !r.contains("/leases"));
    claim(template, "no CRD reads", granted, r -> !r.contains("customresourcedefinitions"));
    claim(template, "deletes only to stop trials early", granted,
        r -> !r.startsWith("delete") || r.equals("delete scalesweep.io/trainingjobs") || r.equals("delete batch/jobs")
            || r.equals("delete core/configmaps"));
    assertThat(template).contains("to drop a finished trial's ConfigMap");
    claim(template, "never listed or watched", granted, r -> !r.endsWith("/secrets") || r.equals("get core/secrets"));
    claim(template, "never updated", granted, r -> !r.endsWith("batch/jobs") || !r.startsWith("update"));
    claim(template, "never watched", granted, r -> !r.endsWith("/events") || !r.startsWith("watch"));
    claim(template, "read from the informer", granted, r -> !r.endsWith("core/pods") || r.startsWith("list") || r.startsWith("watch"));
    assertThat(granted).noneMatch(r -> r.startsWith("*") || r.contains("/*") || r.startsWith("update"));
    assertThat(granted).allMatch(OPERATOR_RIGHTS::contains);
    assertThat(values).contains("the same rights as a Role in each of these namespaces");
  }

  private static void claim(String template, String phrase, Set<String> granted, Predicate<String> holds) {
    assertThat(template).as("the template says %s", phrase).contains(phrase);
    assertThat(granted).as("what the template renders, given it says \"%s\"", phrase).allMatch(holds);
  }

  private void isTheOperator(Subject subject) {
    assertThat(subject.getKind()).isEqualTo("ServiceAccount");
    assertThat(subject.getName()).isEqualTo(RELEASE);
    assertThat(subject.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
  }

  /** The rules as {@code verb group/resource}, one per combination. */
  static List<String> rights(List<PolicyRule> rules) {
    List<String> rights = new java.util.ArrayList<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getResourceNames()).as("resourceNames").isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).as("nonResourceURLs").isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            rights.add(verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource);
          }
        }
      }
    }
    return rights;
  }

  private static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
    TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace(RELEASE_NAMESPACE);
    return Rendered.objects(values.apply(template).call());
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = all(objects, type);
    assertThat(matches).as("rendered %s", type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }

  private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return all(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }
}
