package io.scalesweep.operator.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/** JSON for the operator's own needs: status comparison, copies, the trial file. */
public final class Json {

  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  /**
   * Whether two API objects serialize alike. The API POJOs have no {@code equals}; comparing
   * their JSON trees is what decides whether a status write would change anything.
   */
  public static boolean sameJson(Object a, Object b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(MAPPER.valueToTree(a), MAPPER.valueToTree(b));
  }

  /** A deep copy through JSON, so cached objects are never mutated. */
  public static <T> T copy(T value, Class<T> type) {
    return value == null ? null : MAPPER.convertValue(value, type);
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  /** The size in bytes of the JSON form, as the API server would store it. */
  public static int sizeInBytes(Object value) {
    return write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
