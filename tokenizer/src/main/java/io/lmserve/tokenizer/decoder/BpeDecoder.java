package io.lmserve.tokenizer.decoder;

import java.util.ArrayList;
import java.util.List;

/** Classic BPE: the end-of-word suffix ({@code </w>}) becomes a space, except at the very end. */
public record BpeDecoder(String suffix) implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
    }
    return out;
  }
}
