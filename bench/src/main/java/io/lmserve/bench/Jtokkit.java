package io.lmserve.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * jtokkit's r50k_base (GPT-2's vocabulary), ids only: the one thing it produces. Text spelling
 * {@code <|endoftext|>} is plain text to {@code encodeOrdinary}; the ids check counts such lines.
 */
final class Jtokkit {

  private Jtokkit() {}

  static Contender gpt2(Corpus corpus) {
    Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);
    return InProcess.perText(
        "jtokkit 1.1.0 r50k_base, ids",
        corpus,
        t -> encoding.encodeOrdinary(t).size(),
        t -> encoding.encodeOrdinary(t).toArray());
  }
}
