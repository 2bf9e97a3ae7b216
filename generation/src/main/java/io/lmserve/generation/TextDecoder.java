package io.lmserve.generation;

import io.lmserve.tokenizer.DecodeStream;

/**
 * Turns one request's tokens into text as they come: a tokenizer's {@link DecodeStream}, or {@link
 * #NONE} for id-only requests. Stateful, one per request.
 */
@FunctionalInterface
public interface TextDecoder {

  /** The decoder of id-only requests: every token has empty text. */
  TextDecoder NONE = id -> "";

  /** The text {@code id} completes: whole characters only, possibly "". */
  String next(int id);

  /** What is still held back when the generation ends (e.g. bytes of an unfinished character). */
  default String flush() {
    return "";
  }

  static TextDecoder of(DecodeStream stream) {
    return new TextDecoder() {
      @Override
      public String next(int id) {
        return stream.next(id);
      }

      @Override
      public String flush() {
        return stream.flush();
      }
    };
  }
}
