package io.lmserve.service.tokenize;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the lower-case spellings our JSON uses for enums, with a message listing the choices. */
final class WireEnums {

  private WireEnums() {}

  static <E extends Enum<E>> E parse(Class<E> type, Object value) {
    return parse(type, value, null);
  }

  static <E extends Enum<E>> E parse(Class<E> type, Object value, String alsoAccepted) {
    for (E constant : type.getEnumConstants()) {
      if (constant.toString().equals(value)) {
        return constant;
      }
    }
    String choices =
        Arrays.stream(type.getEnumConstants())
            .map(c -> '"' + c.toString() + '"')
            .collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "cannot use "
            + (value instanceof String s ? '"' + s + '"' : String.valueOf(value))
            + "; expected one of "
            + choices
            + (alsoAccepted == null ? "" : ", " + alsoAccepted));
  }
}
