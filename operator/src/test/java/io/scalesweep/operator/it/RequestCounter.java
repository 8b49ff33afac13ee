package io.scalesweep.operator.it;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the API requests a client makes, by verb and resource ({@code PATCH trainingjobs/status}). */
final class RequestCounter implements Interceptor {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    counts.computeIfAbsent(key(request), k -> new LongAdder()).increment();
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> byKind() {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    return sorted;
  }

  /** The verb, then the resource (and subresource) from a path like /apis/g/v/namespaces/ns/r/name/sub. */
  private static String key(HttpRequest request) {
    String[] parts = request.uri().getPath().split("/");
    String query = request.uri().getQuery() == null ? "" : request.uri().getQuery();
    String verb = request.method();
    if ("GET".equals(verb) && query.contains("watch=true")) {
      verb = "WATCH";
    }
    int ns = indexOf(parts, "namespaces");
    String resource;
    if (ns >= 0 && parts.length > ns + 2) {
      resource = parts[ns + 2] + (parts.length > ns + 4 ? "/" + parts[ns + 4] : "");
    } else {
      resource = parts.length > 0 ? parts[parts.length - 1] : "";
    }
    return verb + " " + resource;
  }

  private static int indexOf(String[] parts, String value) {
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals(value)) {
        return i;
      }
    }
    return -1;
  }
}
