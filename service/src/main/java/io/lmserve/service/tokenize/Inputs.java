package io.lmserve.service.tokenize;

import io.lmserve.service.errors.InvalidFieldException;
import java.util.List;

/**
 * The texts of an encode request, whichever way they came: {@code text} (+ {@code text_pair}) or
 * {@code texts} (+ {@code text_pairs}).
 *
 * @param single whether the request used {@code text}, which HF answers with flat rows
 * @param pairs null when the request has no second texts
 */
record Inputs(boolean single, List<String> texts, List<String> pairs) {

  static Inputs of(EncodeRequest request) {
    if ((request.text() == null) == (request.texts() == null)) {
      throw new InvalidFieldException("text", "give exactly one of text and texts");
    }
    if (request.text() != null) {
      if (request.textPairs() != null) {
        throw new InvalidFieldException("text_pairs", "goes with texts; use text_pair with text");
      }
      return new Inputs(
          true,
          List.of(request.text()),
          request.textPair() == null ? null : List.of(request.textPair()));
    }
    if (request.textPair() != null) {
      throw new InvalidFieldException("text_pair", "goes with text; use text_pairs with texts");
    }
    if (request.textPairs() != null && request.textPairs().size() != request.texts().size()) {
      throw new InvalidFieldException(
          "text_pairs",
          "has " + request.textPairs().size() + " entries but texts has " + request.texts().size());
    }
    if (request.texts().isEmpty()) {
      throw new InvalidFieldException("texts", "must not be empty");
    }
    return new Inputs(false, request.texts(), request.textPairs());
  }

  String fieldName() {
    return single ? "text" : "texts";
  }

  String pairFieldName() {
    return single ? "text_pair" : "text_pairs";
  }

  String pair(int i) {
    return pairs == null ? null : pairs.get(i);
  }
}
