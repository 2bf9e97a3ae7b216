package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Normalizer;
import java.nio.charset.StandardCharsets;

/**
 * SentencePiece's own normalization of a {@code .model} file as a pipeline stage: the text comes
 * out exactly as {@code spm_encode} segments it ({@code ▁} for spaces, dummy prefix, folded forms),
 * each unit aligned to the original text.
 */
public final class SentencePieceNormalizer implements Normalizer {

  private final SpmNormalizer normalizer;

  SentencePieceNormalizer(SpmNormalizer normalizer) {
    this.normalizer = normalizer;
  }

  SpmNormalizer normalizer() {
    return normalizer;
  }

  @Override
  public NormalizedString normalize(NormalizedString text) {
    NormalizedText out = normalizer.normalize(text.normalized());
    String normalized = new String(out.bytes(), 0, out.length(), StandardCharsets.UTF_8);
    NormalizedString.Builder builder = text.builder();
    int b = 0;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      // Spans index the input's units; map them through the input's own alignment.
      int from = out.spanStart(b);
      int to = out.spanEnd(b);
      builder.append(cp, text.originalStartOf(from, to), text.originalEndOf(from, to));
      i += Character.charCount(cp);
      b += Utf8Text.charLengthFromLead(out.bytes()[b]);
    }
    return builder.build();
  }
}
