package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.Normalizer;
import io.lmserve.tokenizer.pretokenizer.PreTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Words as the trained tokenizer itself will see them: its normalizer, then its pre-tokenizer.
 * Training and encoding share the very same components, so no word is cut one way while learning
 * and another way while encoding.
 *
 * <p>Lines longer than {@code maxLineBytes} UTF-8 bytes are skipped when it is positive, as {@code
 * spm_train} does with its {@code max_sentence_length}.
 */
record PipelineWords(Normalizer normalizer, PreTokenizer preTokenizer, int maxLineBytes)
    implements WordSplitter {

  PipelineWords {
    if (maxLineBytes < 0) {
      throw new IllegalArgumentException("maxLineBytes must not be negative: " + maxLineBytes);
    }
  }

  @Override
  public void split(String line, Consumer<String> words) {
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short lines need no counting.
    if (maxLineBytes > 0 && line.length() > maxLineBytes / 3 && utf8Length(line) > maxLineBytes) {
      return;
    }
    NormalizedString text = NormalizedString.of(line);
    if (normalizer != null) {
      text = normalizer.normalize(text);
    }
    if (text.isEmpty()) {
      return;
    }
    List<NormalizedString> pieces = new ArrayList<>();
    if (preTokenizer != null) {
      preTokenizer.preTokenize(text, pieces);
    } else {
      pieces.add(text);
    }
    for (NormalizedString piece : pieces) {
      if (!piece.isEmpty()) {
        words.accept(piece.normalized());
      }
    }
  }

  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
