package io.lmserve.tokenizer.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Glues {@code ##} continuations to the previous token and puts a space before the others; with
 * {@code cleanup}, removes the spaces tokenization put before punctuation and contractions (per
 * token, as HF does).
 */
public record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (i != 0) {
        token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
      }
      out.add(cleanup ? cleanUpTokenizationSpaces(token) : token);
    }
    return out;
  }

  /** HF's {@code clean_up_tokenization_spaces}. */
  public static String cleanUpTokenizationSpaces(String s) {
    if (s.indexOf(' ') < 0) {
      return s;
    }
    return s.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" do not", " don't")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }
}
