package io.scalesweep.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The test API server's audit log: every request a ServiceAccount made (the policy logs nothing
 * else), as the API server saw and authorized it. It tells which rights the operator used and
 * whether it was ever refused one, including where the operator only logs a failure (Events).
 */
final class AuditLog {

  /** The policy the API server starts with: metadata of ServiceAccounts' requests, nothing else. */
  static final String POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
        - level: Metadata
          userGroups: ["system:serviceaccounts"]
        - level: None
      """;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request: {@code verb group/resource[/subresource]}, in a namespace or cluster-wide, and the
   * URI it was made to (with its query: label selectors, watch parameters).
   */
  record Request(String verb, String group, String resource, String namespace, int code, boolean refused, String uri) {

    /** {@code list batch/jobs} or {@code patch scalesweep.io/trainingjobs/status}: what RBAC judges. */
    String right() {
      return right(verb, group, resource);
    }

    static String right(String verb, String group, String resource) {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
    }
  }

  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /** The resource requests the user made, in order (non-resource URLs such as /version left out). */
  List<Request> requests(String username) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines.map(AuditLog::read)
          .filter(e -> username.equals(e.path("user").path("username").asText()))
          .filter(e -> e.has("objectRef"))
          .map(AuditLog::request)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The requests of the user the API server refused. */
  List<Request> refused(String username) {
    return requests(username).stream().filter(Request::refused).toList();
  }

  /**
   * The distinct rights the user exercised, allowed ones only. A server-side apply that created
   * its object (a patch answered 201) was authorized as a create as well as a patch.
   */
  Set<String> usedRights(String username) {
    Set<String> used = new TreeSet<>();
    for (Request r : requests(username)) {
      if (r.refused()) {
        continue;
      }
      used.add(r.right());
      if ("patch".equals(r.verb()) && r.code() == 201) {
        used.add(Request.right("create", r.group(), r.resource()));
      }
    }
    return used;
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Request request(JsonNode e) {
    JsonNode ref = e.path("objectRef");
    String resource = ref.path("resource").asText();
    String sub = ref.path("subresource").asText("");
    int code = e.path("responseStatus").path("code").asInt(0);
    boolean forbidden = "forbid".equals(e.path("annotations").path("authorization.k8s.io/decision").asText());
    return new Request(e.path("verb").asText(), ref.path("apiGroup").asText(""),
        sub.isEmpty() ? resource : resource + "/" + sub, ref.path("namespace").asText(null),
        code, forbidden || code == 403, e.path("requestURI").asText(""));
  }
}
