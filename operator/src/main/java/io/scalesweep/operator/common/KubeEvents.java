package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on the operator's resources ({@code kubectl describe} shows them).
 * An Event is a courtesy: failing to write one is logged and never fails a reconciliation.
 */
public final class KubeEvents {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final String COMPONENT = "scalesweep-operator";

  private static final Logger LOG = Logger.getLogger(KubeEvents.class);

  private KubeEvents() {}

  public static void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
    Instant now = Instant.now();
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
    try {
      client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.debugf(e, "could not record event %s on %s", reason, about.getMetadata().getName());
    }
  }
}
