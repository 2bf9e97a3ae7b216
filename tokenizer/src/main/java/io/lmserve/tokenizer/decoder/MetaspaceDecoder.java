package io.lmserve.tokenizer.decoder;

import io.lmserve.tokenizer.pretokenizer.Metaspace;
import java.util.ArrayList;
import java.util.List;

/**
 * ▁ becomes a space; in the first token, when a ▁ was prepended at encoding, it is dropped instead.
 */
public record MetaspaceDecoder(
    char replacement, Metaspace.PrependScheme prependScheme, boolean split) implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (i == 0 && prependScheme != Metaspace.PrependScheme.NEVER) {
        out.add(token.replace(String.valueOf(replacement), ""));
      } else {
        out.add(token.replace(replacement, ' '));
      }
    }
    return out;
  }
}
