package io.lmserve.tokenizer.decoder;

import java.util.List;

/** Applies decoders in order. */
public record DecoderSequence(List<Decoder> decoders) implements Decoder {
  public DecoderSequence {
    decoders = List.copyOf(decoders);
  }

  @Override
  public List<String> decodeChain(List<String> tokens) {
    for (Decoder d : decoders) {
      tokens = d.decodeChain(tokens);
    }
    return tokens;
  }
}
