package io.lmserve.service.generate;

import io.lmserve.generation.InvalidRequestException;
import java.util.Map;
import java.util.function.Supplier;

/** Runs library code that checks request values, renaming the fields it names to the wire's. */
public final class WireChecks {

  private WireChecks() {}

  public static <T> T checked(Map<String, String> wireNames, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidRequestException e) {
      throw renamed(e, wireNames);
    }
  }

  public static InvalidRequestException renamed(
      InvalidRequestException e, Map<String, String> names) {
    String wire = names.get(e.field());
    if (wire == null) {
      return e;
    }
    String prefix = e.field() + ": ";
    String message = e.getMessage();
    return new InvalidRequestException(
        wire, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
  }
}
