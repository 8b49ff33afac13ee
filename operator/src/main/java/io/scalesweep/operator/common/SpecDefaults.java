package io.scalesweep.operator.common;

import io.fabric8.generator.annotation.Default;
import io.scalesweep.api.manifest.SchemaRules;
import java.lang.reflect.InvocationTargetException;

/**
 * The API server applies schema defaults only inside objects that are present: a sweep without
 * {@code failurePolicy} has no {@code maxFailedTrials} either. This fills such gaps from the same
 * {@code @Default} annotations the schema is generated from, on a copy, so no default is written
 * twice and no cached object is changed.
 */
public final class SpecDefaults {

  private SpecDefaults() {}

  /** A copy of {@code value} (or a new instance when null) with every schema default filled. */
  public static <T> T withDefaults(T value, Class<T> type, String path) {
    T copy = value == null ? newInstance(type) : Json.copy(value, type);
    SchemaRules.applyDefaultsAndValidate(copy, path);
    return copy;
  }

  /** The {@code @Default} a field declares, for the few places that need it without an object. */
  public static <T> T declaredDefault(Class<?> owner, String field, Class<T> type) {
    try {
      Default d = owner.getDeclaredField(field).getAnnotation(Default.class);
      if (d == null) {
        throw new IllegalStateException(owner.getSimpleName() + "." + field + " declares no default");
      }
      return Json.MAPPER.readValue(d.value(), type);
    } catch (NoSuchFieldException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot read the default of " + owner.getSimpleName() + "." + field, e);
    }
  }

  private static <T> T newInstance(Class<T> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException | NoSuchMethodException e) {
      throw new IllegalStateException("API class without a public no-arg constructor: " + type, e);
    }
  }
}
