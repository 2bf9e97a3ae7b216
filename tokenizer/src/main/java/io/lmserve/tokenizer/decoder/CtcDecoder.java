package io.lmserve.tokenizer.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * HF's {@code CTC} decoder for connectionist temporal classification models (wav2vec2 and the
 * like), whose output repeats a token over consecutive frames: runs of equal tokens collapse to
 * one, the pad (blank) token is removed, and with {@code cleanup} the word delimiter becomes a
 * space after HF's clean-up of tokenization spaces. Tokens left empty are dropped.
 */
public record CtcDecoder(String padToken, String wordDelimiterToken, boolean cleanup)
    implements Decoder {

  public CtcDecoder {
    if (padToken == null || wordDelimiterToken == null) {
      throw new IllegalArgumentException("CTC decoder needs a pad token and a word delimiter");
    }
  }

  /** HF's defaults: {@code <pad>}, {@code |}, clean-up on. */
  public static CtcDecoder defaults() {
    return new CtcDecoder("<pad>", "|", true);
  }

  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    String previous = null;
    for (String token : tokens) {
      if (token.equals(previous)) {
        continue;
      }
      previous = token;
      String text = padToken.isEmpty() ? token : token.replace(padToken, "");
      if (cleanup) {
        text = WordPieceDecoder.cleanUpTokenizationSpaces(text);
        if (!wordDelimiterToken.isEmpty()) {
          text = text.replace(wordDelimiterToken, " ");
        }
      }
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return out;
  }
}
