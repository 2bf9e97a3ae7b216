package io.lmserve.tokenizer.sentencepiece;

/** SentencePiece's CHAR model: one piece per character (user-defined pieces kept whole). */
final class CharSegmenter implements Segmenter {

  private final Vocabulary vocabulary;

  CharSegmenter(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  @Override
  public Segments segment(byte[] text, int length) {
    Segments out = new Segments();
    PieceTrie userDefined = vocabulary.userDefined();
    for (int pos = 0; pos < length; ) {
      int len = userDefined == null ? 0 : userDefined.longestPrefix(text, pos, length);
      if (len == 0) {
        len = Math.min(Utf8Text.charLengthFromLead(text[pos]), length - pos);
      }
      out.add(pos, pos + len, vocabulary.segmentId(text, pos, pos + len));
      pos += len;
    }
    return out;
  }
}
