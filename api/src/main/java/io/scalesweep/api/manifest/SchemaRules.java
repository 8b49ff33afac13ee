package io.scalesweep.api.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.scalesweep.api.InvalidSpecException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the defaults and checks the constraints that the CRD schema declares, by reading the
 * very annotations the CRD generator reads. The API server enforces them for {@code kubectl
 * apply}; this class gives the CLI ({@code plan}, {@code run}, {@code train}) the same defaults
 * and the same errors, so a manifest behaves alike with and without a cluster. Cross-field CEL
 * rules are checked where the data is used (sweep expansion, the trainer's recipe checks).
 */
public final class SchemaRules {

  private static final String MODEL_PACKAGE = "io.scalesweep.api.v1alpha1";
  private static final ObjectMapper DEFAULTS = new ObjectMapper(new YAMLFactory());
  private static final Map<String, java.util.regex.Pattern> PATTERNS = new ConcurrentHashMap<>();

  private SchemaRules() {}

  /**
   * Fills absent fields that have a schema default, then validates, depth first.
   *
   * @param object a spec POJO of the v1alpha1 package (or null, which is left alone)
   * @param path the object's path in the manifest, such as {@code spec}
   * @throws InvalidSpecException naming the first field that breaks a rule
   */
  public static void applyDefaultsAndValidate(Object object, String path) {
    walk(object, path, true);
  }

  /**
   * Fills absent fields that have a schema default and checks nothing: for computing with a spec
   * that the API server or {@link #applyDefaultsAndValidate} has checked, or that a test built.
   */
  public static void applyDefaults(Object object) {
    walk(object, "spec", false);
  }

  private static void walk(Object object, String path, boolean validate) {
    if (object == null || !isModel(object.getClass())) {
      return;
    }
    for (Class<?> c = object.getClass(); isModel(c); c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          visit(object, field, path, validate);
        }
      }
    }
  }

  private static void visit(Object owner, Field field, String parentPath, boolean validate) {
    String path = parentPath + "." + jsonName(field);
    Object value = get(owner, field);
    Default dflt = field.getAnnotation(Default.class);
    if (value == null && dflt != null) {
      value = parseDefault(field, dflt.value());
      set(owner, field, value);
    }
    if (value == null) {
      if (validate && field.isAnnotationPresent(Required.class)) {
        throw new InvalidSpecException(path, path + " is required" + hint(field));
      }
      return;
    }
    if (validate) {
      checkBounds(field, value, path);
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", validate);
      }
    } else {
      walk(value, path, validate);
    }
  }

  private static void checkBounds(Field field, Object value, String path) {
    Min min = field.getAnnotation(Min.class);
    Max max = field.getAnnotation(Max.class);
    if (value instanceof Number n) {
      double v = n.doubleValue();
      if (min != null && (min.inclusive() ? v < min.value() : v <= min.value())) {
        throw new InvalidSpecException(
            path,
            path + " must be " + (min.inclusive() ? "at least " : "greater than ")
                + format(min.value()) + " (got " + n + ")");
      }
      if (max != null && (max.inclusive() ? v > max.value() : v >= max.value())) {
        throw new InvalidSpecException(
            path,
            path + " must be " + (max.inclusive() ? "at most " : "less than ")
                + format(max.value()) + " (got " + n + ")");
      }
    }
    Pattern pattern = field.getAnnotation(Pattern.class);
    if (pattern != null && value instanceof String s && !regex(pattern.value()).matcher(s).matches()) {
      throw new InvalidSpecException(path, path + ": '" + s + "' is not allowed" + hint(field));
    }
    Size size = field.getAnnotation(Size.class);
    if (size != null) {
      long length = sizeOf(value);
      if (length >= 0 && (length < size.min() || length > size.max())) {
        throw new InvalidSpecException(
            path, path + " must have between " + size.min() + " and " + size.max()
                + " entries (got " + length + ")");
      }
    }
  }

  private static long sizeOf(Object value) {
    if (value instanceof String s) {
      return s.length();
    } else if (value instanceof Collection<?> c) {
      return c.size();
    } else if (value instanceof Map<?, ?> m) {
      return m.size();
    }
    return -1;
  }

  private static Object parseDefault(Field field, String yaml) {
    JavaType type = DEFAULTS.getTypeFactory().constructType(field.getGenericType());
    try {
      return DEFAULTS.readValue(yaml, type);
    } catch (java.io.IOException e) {
      // A default that cannot be read is a bug in the API classes, not in the user's manifest.
      throw new IllegalStateException("bad @Default on " + field + ": " + yaml, e);
    }
  }

  private static String hint(Field field) {
    JsonPropertyDescription d = field.getAnnotation(JsonPropertyDescription.class);
    return d == null ? "" : " (" + d.value() + ")";
  }

  private static String format(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String jsonName(Field field) {
    JsonProperty p = field.getAnnotation(JsonProperty.class);
    return p == null || p.value().isEmpty() ? field.getName() : p.value();
  }

  private static boolean isModel(Class<?> c) {
    return c != null && c.getPackageName().equals(MODEL_PACKAGE) && !c.isEnum();
  }

  private static java.util.regex.Pattern regex(String r) {
    return PATTERNS.computeIfAbsent(r, java.util.regex.Pattern::compile);
  }

  private static Object get(Object owner, Field field) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void set(Object owner, Field field, Object value) {
    try {
      field.set(owner, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
