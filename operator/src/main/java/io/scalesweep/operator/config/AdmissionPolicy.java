package io.scalesweep.operator.config;

import io.fabric8.kubernetes.api.model.Toleration;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.ResourcesSpec;
import io.scalesweep.api.v1alpha1.StorageSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a cluster admin lets sweeps and TrainingJobs ask for. Creating either creates pods with the
 * user's choice of image, tolerations and priority class, and makes the operator and the trainer
 * reach object storage on the user's behalf; without limits any namespace user could run any
 * image on any node, or have the operator write to and delete from any bucket its own identity
 * reaches. Empty lists allow anything; {@code file://} storage is never allowed in a cluster (it
 * would be the operator's own file system).
 *
 * @param allowOperatorIdentity whether storage without {@code secretRef} may use the identity of
 *     the operator's and the trainer's pods (for example IRSA); off by default
 * @param allowedEndpoints S3 endpoints a sweep may name; when any are listed, {@code
 *     storage.endpoint} must be one of them
 * @param allowedImagePrefixes prefixes a trainer image named in {@code spec.image} must start with
 * @param allowedPriorityClasses priority classes a trial may ask for
 * @param allowedTolerationKeys toleration keys a trial may carry
 */
public record AdmissionPolicy(
    boolean allowOperatorIdentity,
    List<String> allowedEndpoints,
    List<String> allowedImagePrefixes,
    List<String> allowedPriorityClasses,
    List<String> allowedTolerationKeys) {

  public AdmissionPolicy {
    allowedEndpoints = List.copyOf(allowedEndpoints);
    allowedImagePrefixes = List.copyOf(allowedImagePrefixes);
    allowedPriorityClasses = List.copyOf(allowedPriorityClasses);
    allowedTolerationKeys = List.copyOf(allowedTolerationKeys);
  }

  /** The chart's defaults: storage credentials by Secret only, everything else open. */
  public static AdmissionPolicy defaults() {
    return new AdmissionPolicy(false, List.of(), List.of(), List.of(), List.of());
  }

  /** The first thing this policy refuses in a spec, naming the field and what is allowed. */
  public Optional<InvalidSpecException> problem(StorageSpec storage, String image, ResourcesSpec resources) {
    return storageProblem(storage)
        .or(() -> imageProblem(image))
        .or(() -> schedulingProblem(resources));
  }

  private Optional<InvalidSpecException> storageProblem(StorageSpec storage) {
    if (storage == null || storage.getUri() == null || storage.getUri().isBlank()) {
      return Optional.empty();
    }
    if (!storage.getUri().toLowerCase(Locale.ROOT).startsWith("s3://")) {
      return refuse("spec.storage.uri", "spec.storage.uri must be an s3:// URI in a cluster, not "
          + storage.getUri() + ": any other would be the file system of the operator's pod");
    }
    if (!allowOperatorIdentity && blank(storage.getSecretRef())) {
      return refuse("spec.storage.secretRef", "spec.storage.secretRef is required in this cluster: name a"
          + " Secret of this namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the operator's own"
          + " cloud identity is not lent to sweeps here)");
    }
    if (!allowedEndpoints.isEmpty() && !allowedEndpoints.contains(normalized(storage.getEndpoint()))) {
      return refuse("spec.storage.endpoint", "spec.storage.endpoint "
          + (blank(storage.getEndpoint()) ? "(none, that is AWS)" : "'" + storage.getEndpoint() + "'")
          + " is not allowed in this cluster; allowed: " + String.join(", ", allowedEndpoints));
    }
    return Optional.empty();
  }

  private Optional<InvalidSpecException> imageProblem(String image) {
    if (blank(image) || allowedImagePrefixes.isEmpty()
        || allowedImagePrefixes.stream().anyMatch(image::startsWith)) {
      return Optional.empty();
    }
    return refuse("spec.image", "spec.image '" + image + "' is not allowed in this cluster; images must"
        + " start with one of: " + String.join(", ", allowedImagePrefixes)
        + " (or leave spec.image empty for the operator's trainer image)");
  }

  private Optional<InvalidSpecException> schedulingProblem(ResourcesSpec resources) {
    if (resources == null) {
      return Optional.empty();
    }
    String priority = resources.getPriorityClassName();
    if (!blank(priority) && !allowedPriorityClasses.isEmpty() && !allowedPriorityClasses.contains(priority)) {
      return refuse("spec.resources.priorityClassName", "spec.resources.priorityClassName '" + priority
          + "' is not allowed in this cluster; allowed: " + String.join(", ", allowedPriorityClasses));
    }
    List<Toleration> tolerations = resources.getTolerations() == null ? List.of() : resources.getTolerations();
    for (int i = 0; i < tolerations.size() && !allowedTolerationKeys.isEmpty(); i++) {
      String key = tolerations.get(i).getKey();
      if (blank(key) || !allowedTolerationKeys.contains(key)) {
        String field = "spec.resources.tolerations[" + i + "].key";
        return refuse(field, field + " " + (blank(key) ? "(empty: tolerates every taint)" : "'" + key + "'")
            + " is not allowed in this cluster; allowed: " + String.join(", ", allowedTolerationKeys));
      }
    }
    return Optional.empty();
  }

  /** Endpoints compare without a trailing slash; none is "" (AWS). */
  private static String normalized(String endpoint) {
    if (blank(endpoint)) {
      return "";
    }
    return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<InvalidSpecException> refuse(String field, String message) {
    return Optional.of(new InvalidSpecException(field, message));
  }
}
