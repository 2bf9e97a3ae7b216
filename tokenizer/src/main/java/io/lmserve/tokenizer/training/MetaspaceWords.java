package io.lmserve.tokenizer.training;

import java.text.Normalizer;
import java.util.function.Consumer;

/**
 * SentencePiece words: the line NFKC-normalized, runs of whitespace collapsed and trimmed, then
 * each word prefixed with {@code ▁} (U+2581), the symbol that stands for the space before it. This
 * is what the trained {@code tokenizer.json} does (NFKC, whitespace runs to one space, strip,
 * Metaspace); SentencePiece's {@code nmt_nfkc} also drops control characters, which is left out so
 * that training and encoding see the same text.
 *
 * <p>Like {@code spm_train}, lines longer than a limit in UTF-8 bytes are skipped (its {@code
 * max_sentence_length}, 4192 by default): they are mostly tables and code.
 */
public final class MetaspaceWords implements WordSplitter {

  /** The whitespace stand-in, U+2581 LOWER ONE EIGHTH BLOCK. */
  public static final char META = '\u2581';

  /** {@code spm_train}'s default {@code max_sentence_length}. */
  public static final int SPM_MAX_SENTENCE_BYTES = 4192;

  private final int maxSentenceBytes;

  /** {@code maxSentenceBytes}: longer lines are skipped; 0 keeps every line. */
  public MetaspaceWords(int maxSentenceBytes) {
    if (maxSentenceBytes < 0) {
      throw new IllegalArgumentException("maxSentenceBytes must not be negative");
    }
    this.maxSentenceBytes = maxSentenceBytes;
  }

  @Override
  public void split(String line, Consumer<String> words) {
    if (maxSentenceBytes > 0
        && line.length() > maxSentenceBytes / 3
        && utf8Length(line) > maxSentenceBytes) {
      return;
    }
    String text = Normalizer.normalize(line, Normalizer.Form.NFKC);
    StringBuilder word = new StringBuilder().append(META);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (WhitespaceWords.isWhiteSpace(cp) || cp == META) {
        flush(word, words);
      } else {
        word.appendCodePoint(cp);
      }
    }
    flush(word, words);
  }

  private static void flush(StringBuilder word, Consumer<String> words) {
    if (word.length() > 1) {
      words.accept(word.toString());
      word.setLength(1);
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
