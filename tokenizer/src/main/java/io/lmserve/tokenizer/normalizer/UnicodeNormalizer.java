package io.lmserve.tokenizer.normalizer;

/**
 * NFC, NFD, NFKC or NFKD with the alignments HF tokenizers gives (its {@code transform} fed by the
 * {@code unicode-normalization-alignments} iterators). Each output code point carries a change: 0
 * when it stands for the next input code point, +1 when decomposition inserted it (it takes the
 * alignment of the input code point before), and when composition merges a starter with following
 * code points, the starter's change plus each merged one's change minus one (a negative change -N
 * consumes N more input code points, which lose their alignment). Input code points are consumed in
 * order, so after canonical reordering a mark is aligned to the position it lands on, exactly as HF
 * does.
 *
 * <p>The text is cut before every code point whose decomposition cannot combine with what precedes
 * it, and each chunk is worked out on its own with {@link java.text.Normalizer}: the decomposition
 * of each code point gives the changes, the normal form of the chunk gives the order and the
 * compositions, which are matched back to the decomposed code points they came from.
 */
public record UnicodeNormalizer(Form form) implements Normalizer {

  public enum Form {
    NFC(java.text.Normalizer.Form.NFC, java.text.Normalizer.Form.NFD),
    NFD(java.text.Normalizer.Form.NFD, java.text.Normalizer.Form.NFD),
    NFKC(java.text.Normalizer.Form.NFKC, java.text.Normalizer.Form.NFKD),
    NFKD(java.text.Normalizer.Form.NFKD, java.text.Normalizer.Form.NFKD);

    final java.text.Normalizer.Form jdk;
    final java.text.Normalizer.Form decomposition;

    Form(java.text.Normalizer.Form jdk, java.text.Normalizer.Form decomposition) {
      this.jdk = jdk;
      this.decomposition = decomposition;
    }

    boolean composes() {
      return jdk != decomposition;
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

  /** {@code text[from, to)}, normalized, with HF's alignment of every output code point. */
  private void appendChunk(NormalizedString text, int from, int to, NormalizedString.Builder out) {
    String s = text.normalized();
    String chunk = s.substring(from, to);
    if (java.text.Normalizer.isNormalized(chunk, form.jdk)) {
      Replace.copy(text, from, to, out); // every change 0: each code point keeps its alignment
      return;
    }
    // Input code points (their UTF-16 index), and their decomposition with changes 0, +1, +1, ...
    int[] inputs = chunk.codePoints().toArray();
    int[] inputAt = new int[inputs.length];
    Marked decomposed = new Marked(chunk.length() * 4);
    for (int j = 0, at = from; j < inputs.length; j++) {
      inputAt[j] = at;
      at += Character.charCount(inputs[j]);
      String d = java.text.Normalizer.normalize(Character.toString(inputs[j]), form.decomposition);
      int k = 0;
      for (int i = 0; i < d.length(); ) {
        int cp = d.codePointAt(i);
        decomposed.add(cp, k++ == 0 ? 0 : 1);
        i += Character.charCount(cp);
      }
    }
    // Canonical reordering is a stable sort of marks: the reordered text, matched back.
    Marked result =
        decomposed.matchedTo(
            java.text.Normalizer.normalize(decomposed.text(), form.decomposition), false);
    if (form.composes()) {
      result = result.matchedTo(java.text.Normalizer.normalize(result.text(), form.jdk), true);
    }
    // HF's transform: changes <= 0 take the next input's alignment and consume 1 - change inputs.
    int next = 0;
    for (int i = 0; i < result.size; i++) {
      int change = result.changes[i];
      int start;
      int end;
      if (change > 0) {
        if (next > 0) {
          start = text.alignStart(inputAt[next - 1]);
          end = text.alignEnd(inputAt[next - 1]);
        } else if (from > 0) {
          start = text.alignStart(from - 1);
          end = text.alignEnd(from - 1);
        } else {
          start = end = text.originalStart();
        }
      } else {
        start = text.alignStart(inputAt[next]);
        end = text.alignEnd(inputAt[next]);
        next += 1 - change;
      }
      out.append(result.codePoints[i], start, end);
    }
  }

  /** Code points, each with its HF change. */
  private static final class Marked {
    int[] codePoints;
    int[] changes;
    int size;

    Marked(int capacity) {
      codePoints = new int[Math.max(capacity, 4)];
      changes = new int[codePoints.length];
    }

    void add(int codePoint, int change) {
      if (size == codePoints.length) {
        codePoints = java.util.Arrays.copyOf(codePoints, size * 2);
        changes = java.util.Arrays.copyOf(changes, size * 2);
      }
      codePoints[size] = codePoint;
      changes[size++] = change;
    }

    String text() {
      return new String(codePoints, 0, size);
    }

    /**
     * {@code target} (this text reordered, and composed if {@code composed}) with the changes of
     * the code points it came from. A reordered code point is the earliest unused equal one
     * (reordering is stable). A composed one is the earliest unused starter followed by the
     * earliest unused code points after it that spell the rest of its decomposition; its change is
     * the starter's plus each merged code point's change minus one.
     */
    Marked matchedTo(String target, boolean composed) {
      boolean[] used = new boolean[size];
      Marked out = new Marked(size);
      int first = 0; // earliest unused
      for (int i = 0; i < target.length(); ) {
        int cp = target.codePointAt(i);
        i += Character.charCount(cp);
        while (used[first]) {
          first++;
        }
        if (!composed) {
          int j = first;
          while (codePoints[j] != cp || used[j]) {
            j++;
          }
          used[j] = true;
          out.add(cp, changes[j]);
          continue;
        }
        String parts =
            java.text.Normalizer.normalize(Character.toString(cp), java.text.Normalizer.Form.NFD);
        if (codePoints[first] == cp || parts.codePointCount(0, parts.length()) == 1) {
          used[first] = true;
          out.add(cp, changes[first]);
          continue;
        }
        used[first] = true;
        int change = changes[first];
        int j = first;
        for (int p = Character.charCount(parts.codePointAt(0)); p < parts.length(); ) {
          int part = parts.codePointAt(p);
          p += Character.charCount(part);
          do {
            j++;
          } while (used[j] || codePoints[j] != part);
          used[j] = true;
          change += changes[j] - 1;
        }
        out.add(cp, change);
      }
      return out;
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

  /**
   * Whether {@code cp} may combine with or be reordered before what precedes it: its decomposition
   * starts with a mark, a conjoining Hangul vowel or trailing consonant, or a kana voicing mark
   * (halfwidth U+FF9E becomes U+3099 under NFKC and composes with the kana before it).
   */
  private boolean combinesBackward(int cp) {
    if (cp < 0x300) {
      return false;
    }
    int first = cp;
    if (!java.text.Normalizer.isNormalized(Character.toString(cp), form.decomposition)) {
      first =
          java.text.Normalizer.normalize(Character.toString(cp), form.decomposition).codePointAt(0);
    }
    return CharClass.isMark(first)
        || (first >= 0x1161 && first <= 0x11C2)
        || first == 0x3099
        || first == 0x309A;
  }
}
