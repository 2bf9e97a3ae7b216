package io.lmserve.tokenizer.normalizer;

/**
 * NFC, NFD, NFKC or NFKD with alignment. The text is cut before every code point that cannot
 * combine with what precedes it; each chunk is normalized on its own. A chunk of one code point
 * maps all its output to that code point; in longer chunks (composition, reordering) output code
 * point {@code k} takes the range of input code point {@code k} (the last one if there are more
 * outputs), which gives a composed character the range of its first component, as HF does.
 */
public record UnicodeNormalizer(Form form) implements Normalizer {

  public enum Form {
    NFC(java.text.Normalizer.Form.NFC),
    NFD(java.text.Normalizer.Form.NFD),
    NFKC(java.text.Normalizer.Form.NFKC),
    NFKD(java.text.Normalizer.Form.NFKD);

    final java.text.Normalizer.Form jdk;

    Form(java.text.Normalizer.Form jdk) {
      this.jdk = jdk;
    }
  }

  @Override
  public NormalizedString normalize(NormalizedString text) {
    String s = text.normalized();
    if (isAscii(s) || java.text.Normalizer.isNormalized(s, form.jdk)) {
      return text;
    }
    NormalizedString.Builder out = text.builder();
    int n = s.length();
    int chunkStart = 0;
    while (chunkStart < n) {
      int chunkEnd = chunkStart + Character.charCount(s.codePointAt(chunkStart));
      while (chunkEnd < n && combinesBackward(s.codePointAt(chunkEnd))) {
        chunkEnd += Character.charCount(s.codePointAt(chunkEnd));
      }
      appendChunk(text, chunkStart, chunkEnd, out);
      chunkStart = chunkEnd;
    }
    return out.build();
  }

  private void appendChunk(NormalizedString text, int from, int to, NormalizedString.Builder out) {
    String chunk = text.normalized().substring(from, to);
    String normalized = java.text.Normalizer.normalize(chunk, form.jdk);
    if (normalized.equals(chunk)) {
      Replace.copy(text, from, to, out);
      return;
    }
    int in = from;
    for (int k = 0; k < normalized.length(); ) {
      int cp = normalized.codePointAt(k);
      out.append(cp, text.alignStart(in), text.alignEnd(in));
      k += Character.charCount(cp);
      int next = in + Character.charCount(text.normalized().codePointAt(in));
      if (next < to) {
        in = next;
      }
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** Marks and conjoining Hangul vowels/trailing consonants attach to the preceding character. */
  private static boolean combinesBackward(int cp) {
    if (cp < 0x300) {
      return false;
    }
    return CharClass.isMark(cp) || (cp >= 0x1161 && cp <= 0x11C2) || cp == 0x3099 || cp == 0x309A;
  }
}
