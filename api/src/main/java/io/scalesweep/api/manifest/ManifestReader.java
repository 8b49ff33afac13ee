package io.scalesweep.api.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.scalesweep.api.InvalidSpecException;
import io.scalesweep.api.v1alpha1.ScalingSweep;
import io.scalesweep.api.v1alpha1.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads ScalingSweep and TrainingJob manifests (YAML or JSON) from files for the CLI and the
 * trainer, applying the schema's defaults and rules and making relative data paths relative to
 * the manifest. Every problem becomes an {@link
 * InvalidSpecException} that names the field and says what is allowed; unknown fields are errors,
 * because a misspelt knob silently ignored would train the wrong model.
 */
public final class ManifestReader {

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  private ManifestReader() {}

  public static ScalingSweep readSweep(Path file) {
    return read(file, ScalingSweep.class);
  }

  public static TrainingJob readTrainingJob(Path file) {
    return read(file, TrainingJob.class);
  }

  /**
   * Reads the first document of {@code file} whose kind is {@code type}'s kind, applies schema
   * defaults and validates it.
   */
  public static <T extends CustomResource<?, ?>> T read(Path file, Class<T> type) {
    String kind = HasMetadata.getKind(type);
    JsonNode document = findDocument(file, kind);
    String apiVersion = HasMetadata.getApiVersion(type);
    if (!apiVersion.equals(document.path("apiVersion").asText())) {
      throw new InvalidSpecException(
          "apiVersion",
          file + ": apiVersion must be " + apiVersion + " (got '" + document.path("apiVersion").asText() + "')");
    }
    T resource = bind(file, document, type);
    if (resource.getSpec() == null) {
      throw new InvalidSpecException("spec", file + ": spec is required");
    }
    SchemaRules.applyDefaultsAndValidate(resource.getSpec(), "spec");
    LocalPaths.resolve(resource.getSpec(), file.toAbsolutePath().getParent());
    return resource;
  }

  /** Parses a manifest held in memory (for tests and for trials passed as JSON). */
  public static <T extends CustomResource<?, ?>> T parse(String text, Class<T> type) {
    try {
      Path tmp = Files.createTempFile("manifest", ".yaml");
      try {
        Files.writeString(tmp, text);
        return read(tmp, type);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode findDocument(Path file, String kind) {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = MAPPER.getFactory().createParser(file.toFile())) {
      var it = MAPPER.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull()) {
          documents.add(node);
        }
      }
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InvalidSpecException("file", file + ": no such file");
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException("file", file + ": malformed YAML" + where(e.getLocation()) + ": " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      // Jackson's iterator wraps parse errors of later documents in RuntimeExceptions.
      if (e.getCause() instanceof JsonProcessingException jp) {
        throw new InvalidSpecException("file", file + ": malformed YAML" + where(jp.getLocation()) + ": " + jp.getOriginalMessage());
      }
      throw e;
    } catch (IOException e) {
      throw new InvalidSpecException("file", file + ": cannot read: " + e.getMessage());
    }
    if (documents.isEmpty()) {
      throw new InvalidSpecException("file", file + ": empty manifest, expected a " + kind);
    }
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(
            () -> new InvalidSpecException(
                "kind",
                file + ": expected kind " + kind + ", found "
                    + documents.stream().map(d -> "'" + d.path("kind").asText() + "'").collect(Collectors.joining(", "))));
  }

  private static <T> T bind(Path file, JsonNode document, Class<T> type) {
    try {
      return MAPPER.treeToValue(document, type);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      throw new InvalidSpecException(
          path, file + ": " + path + " is not a known field; allowed here: "
              + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (InvalidFormatException e) {
      String path = path(e);
      Class<?> target = e.getTargetType();
      String allowed = target.isEnum() ? "; allowed: " + enumValues(target) : " (expected " + target.getSimpleName().toLowerCase() + ")";
      throw new InvalidSpecException(path, file + ": " + path + ": '" + e.getValue() + "' is not allowed" + allowed);
    } catch (JsonMappingException e) {
      String path = path(e);
      throw new InvalidSpecException(path, file + ": " + path + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidSpecException("file", file + ": " + e.getOriginalMessage());
    }
  }

  /** The JSON path of a mapping error, as {@code spec.scaling[1].op}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(document)" : sb.toString();
  }

  private static String enumValues(Class<?> type) {
    return Arrays.stream(type.getFields())
        .filter(java.lang.reflect.Field::isEnumConstant)
        .map(f -> {
          JsonProperty p = f.getAnnotation(JsonProperty.class);
          return p != null ? p.value() : f.getName();
        })
        .collect(Collectors.joining(", "));
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 0
        ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }
}
