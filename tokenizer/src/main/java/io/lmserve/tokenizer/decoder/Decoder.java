package io.lmserve.tokenizer.decoder;

import java.util.List;

/**
 * Turns tokens back into text. Like HF, a decoder maps the token list to a new list (so decoders
 * chain) and the text is the concatenation of the result. Implementations are immutable and
 * thread-safe.
 */
public interface Decoder {

  List<String> decodeChain(List<String> tokens);

  default String decode(List<String> tokens) {
    return String.join("", decodeChain(tokens));
  }
}
