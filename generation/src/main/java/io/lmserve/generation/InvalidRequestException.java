package io.lmserve.generation;

/**
 * A request parameter is out of its allowed range or inconsistent with the model. Names the field
 * (in the request's JSON spelling, e.g. {@code max_new_tokens}) so the service can answer 400 with
 * it.
 */
public class InvalidRequestException extends IllegalArgumentException {

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The offending field, e.g. {@code top_p}. */
  public String field() {
    return field;
  }

  /** Throws naming {@code field} unless {@code ok}. */
  public static void require(boolean ok, String field, String message) {
    if (!ok) {
      throw new InvalidRequestException(field, message);
    }
  }
}
