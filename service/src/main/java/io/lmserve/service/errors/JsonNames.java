package io.lmserve.service.errors;

import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;

/** Field names as clients spell them: our JSON is snake_case, Java property paths are camelCase. */
final class JsonNames {

  private JsonNames() {}

  /** {@code textPairs[3]} becomes {@code text_pairs[3]}. */
  static String of(String javaPath) {
    return javaPath.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code texts[2]}, {@code options.max_length}: the JSON path Jackson was at. */
  static String path(List<JacksonException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : references) {
      if (ref.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** One sentence about the value, without Jackson's Java class names. */
  static String reason(JacksonException ex) {
    if (ex instanceof ValueInstantiationException && ex.getCause() != null) {
      return ex.getCause().getMessage();
    }
    if (ex instanceof InvalidFormatException format) {
      return "cannot use " + quoted(format.getValue()) + " here; expected " + kind(format);
    }
    if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "wrong JSON type; expected " + kind(mismatch);
    }
    return ex.getOriginalMessage();
  }

  private static String kind(MismatchedInputException ex) {
    Class<?> type = ex.getTargetType();
    if (type == null) {
      return "another value";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isArray() || List.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of " + enumValues(type);
    }
    return "an object";
  }

  private static String enumValues(Class<?> type) {
    return String.join(
        ", ",
        java.util.Arrays.stream(type.getEnumConstants())
            .map(c -> '"' + c.toString() + '"')
            .toList());
  }

  private static String quoted(Object value) {
    return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
  }
}
