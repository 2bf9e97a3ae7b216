package io.lmserve.tokenizer.decoder;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.TextPattern;
import java.util.ArrayList;
import java.util.List;

/** Replaces every match of {@code pattern} by {@code content} in each token. */
public record ReplaceDecoder(TextPattern pattern, String content) implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    IntPairs matches = new IntPairs();
    for (String token : tokens) {
      matches.clear();
      pattern.findMatches(token, matches);
      if (matches.size() == 0) {
        out.add(token);
        continue;
      }
      StringBuilder sb = new StringBuilder(token.length());
      int last = 0;
      for (int m = 0; m < matches.size(); m++) {
        sb.append(token, last, matches.first(m)).append(content);
        last = matches.second(m);
      }
      out.add(sb.append(token, last, token.length()).toString());
    }
    return out;
  }
}
