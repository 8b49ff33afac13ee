package io.scalesweep.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Set;

/**
 * A dependent that is only ever created, never updated, and is deleted by Kubernetes with its
 * primary through an owner reference. It is deliberately not a JOSDK {@code GarbageCollected}
 * dependent: JOSDK deletes those whenever they leave the desired set, and a trial's Job, pods and
 * recipe, or a sweep's trials, must stay for as long as their owner exists.
 *
 * @param <R> the dependent kind
 * @param <P> the primary (owner) kind
 */
public abstract class OwnedDependentResource<R extends HasMetadata, P extends HasMetadata>
    extends KubernetesDependentResource<R, P> implements Creator<R, P>, SecondaryToPrimaryMapper<R> {

  private final SecondaryToPrimaryMapper<R> byOwner;

  protected OwnedDependentResource(Class<R> resourceType, Class<P> ownerType) {
    super(resourceType);
    this.byOwner = Mappers.fromOwnerReferences(ownerType, false);
  }

  @Override
  protected boolean addOwnerReference() {
    return true;
  }

  /** Found through its owner reference (JOSDK would otherwise expect annotations of its own). */
  @Override
  public Set<ResourceID> toPrimaryResourceIDs(R resource) {
    return byOwner.toPrimaryResourceIDs(resource);
  }
}
