package io.lmserve.tokenizer.sentencepiece;

/**
 * SentencePiece's WORD model: the normalized text split before each {@code ▁} (after it when
 * whitespace is a suffix), each word looked up whole.
 */
final class WordSegmenter implements Segmenter {

  private final Vocabulary vocabulary;
  private final boolean whitespaceAsSuffix;

  WordSegmenter(Vocabulary vocabulary, boolean whitespaceAsSuffix) {
    this.vocabulary = vocabulary;
    this.whitespaceAsSuffix = whitespaceAsSuffix;
  }

  @Override
  public Segments segment(byte[] text, int length) {
    Segments out = new Segments();
    int wordStart = 0;
    for (int pos = 0; pos < length; ) {
      int len = Math.min(Utf8Text.charLengthFromLead(text[pos]), length - pos);
      boolean space = isSpaceSymbol(text, pos, len);
      if (!whitespaceAsSuffix && space && pos > wordStart) {
        out.add(wordStart, pos, vocabulary.segmentId(text, wordStart, pos));
        wordStart = pos;
      }
      pos += len;
      if (whitespaceAsSuffix && space) {
        out.add(wordStart, pos, vocabulary.segmentId(text, wordStart, pos));
        wordStart = pos;
      }
    }
    if (wordStart < length) {
      out.add(wordStart, length, vocabulary.segmentId(text, wordStart, length));
    }
    return out;
  }

  private static boolean isSpaceSymbol(byte[] text, int pos, int len) {
    byte[] s = SpmNormalizer.SPACE_SYMBOL;
    return len == 3 && text[pos] == s[0] && text[pos + 1] == s[1] && text[pos + 2] == s[2];
  }
}
