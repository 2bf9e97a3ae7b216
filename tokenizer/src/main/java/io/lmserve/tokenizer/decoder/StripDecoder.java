package io.lmserve.tokenizer.decoder;

import java.util.ArrayList;
import java.util.List;

/** Removes up to {@code start} leading and {@code stop} trailing {@code content} characters. */
public record StripDecoder(char content, int start, int stop) implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (String token : tokens) {
      int from = 0;
      while (from < start && from < token.length() && token.charAt(from) == content) {
        from++;
      }
      int to = token.length();
      int removed = 0;
      while (removed < stop && to > from && token.charAt(to - 1) == content) {
        to--;
        removed++;
      }
      out.add(token.substring(from, to));
    }
    return out;
  }
}
