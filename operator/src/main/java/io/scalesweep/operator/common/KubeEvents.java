package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on the operator's resources ({@code kubectl describe} shows them).
 * An Event is a courtesy: failing to write one is logged and never fails a reconciliation.
 *
 * <p>A reason that repeats on the same object (a storage error retried, a deletion still waiting)
 * bumps the count of the Event already written instead of adding one Event per retry, as
 * client-go's event correlator does: {@code kubectl describe} then shows "x12 over 5m" rather
 * than a wall of copies. The Events written are remembered in a bounded map, so after an operator
 * restart a repeat starts a new Event, which is what client-go does too.
 */
public final class KubeEvents {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final String COMPONENT = "scalesweep-operator";
  /** As client-go's correlator: enough for every object of a busy operator, bounded all the same. */
  static final int REMEMBERED = 4096;

  private static final Logger LOG = Logger.getLogger(KubeEvents.class);
  private static final Map<String, Written> WRITTEN = BoundedMap.synchronizedLru(REMEMBERED);

  /** An Event this process wrote, to bump on a repeat. */
  private record Written(String name, int count) {}

  private KubeEvents() {}

  public static void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
    String key = about.getMetadata().getUid() + "/" + type + "/" + reason;
    Instant now = Instant.now();
    Written previous = WRITTEN.get(key);
    try {
      if (previous != null && bumped(client, about, previous, message, now)) {
        WRITTEN.put(key, new Written(previous.name(), previous.count() + 1));
        return;
      }
      String name = created(client, about, type, reason, message, now);
      WRITTEN.put(key, new Written(name, 1));
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "could not record event %s on %s", reason, about.getMetadata().getName());
    }
  }

  /** Whether the Event was still there to bump (Events expire, an hour by default). */
  private static boolean bumped(KubernetesClient client, HasMetadata about, Written previous, String message, Instant now) {
    String patch = Json.write(Map.of(
        "count", previous.count() + 1,
        "message", message,
        "lastTimestamp", Conditions.timestamp(now)));
    try {
      // Patched through an object naming it: by name alone, the client would read it first (a get).
      var named = new EventBuilder().withNewMetadata()
          .withName(previous.name()).withNamespace(about.getMetadata().getNamespace()).endMetadata().build();
      client.v1().events().resource(named).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static String created(KubernetesClient client, HasMetadata about, String type, String reason, String message, Instant now) {
    String ts = Conditions.timestamp(now);
    // client-go names events <object>.<unique hex>; the same keeps them sortable and unique.
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    String name = KubeNames.bounded(about.getMetadata().getName(), "." + Long.toHexString(nanos), KubeNames.NAME_MAX);
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(about.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(about.getApiVersion())
                .withKind(about.getKind())
                .withName(about.getMetadata().getName())
                .withNamespace(about.getMetadata().getNamespace())
                .withUid(about.getMetadata().getUid())
                .withResourceVersion(about.getMetadata().getResourceVersion())
                .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(ts)
        .withLastTimestamp(ts)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(COMPONENT)
        .build();
    client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
    return name;
  }
}
