package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.sentencepiece.proto.NormalizerSpec;

/**
 * SentencePiece's normalization, byte for byte as {@code spm_encode} does it: the precompiled rule
 * (longest match at each position), whitespace clean-up, the dummy prefix and {@code ▁} escaping,
 * while recording for every output byte the span of original text it came from.
 */
final class SpmNormalizer {

  static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};
  private static final byte[] SPACE = {' '};

  private final PrecompiledCharsMap charsMap; // null: the identity rule
  private final PieceTrie userDefined; // null: none; matched first and never normalized
  private final boolean addDummyPrefix;
  private final boolean removeExtraWhitespaces;
  private final boolean escapeWhitespaces;
  private final boolean whitespaceAsSuffix;

  SpmNormalizer(NormalizerSpec spec, boolean whitespaceAsSuffix, PieceTrie userDefined) {
    byte[] blob = spec.precompiledCharsMap();
    this.charsMap = blob.length == 0 ? null : PrecompiledCharsMap.parse(blob);
    this.userDefined = userDefined;
    this.addDummyPrefix = spec.addDummyPrefix();
    this.removeExtraWhitespaces = spec.removeExtraWhitespaces();
    this.escapeWhitespaces = spec.escapeWhitespaces();
    this.whitespaceAsSuffix = whitespaceAsSuffix;
  }

  NormalizedText normalize(String text) {
    return normalize(text, true);
  }

  /**
   * The same bytes as {@link #normalize(String)} without the spans back into {@code text} (all 0),
   * for callers that want ids only: the per-byte bookkeeping of the input is skipped.
   */
  NormalizedText normalizeWithoutSpans(String text) {
    return normalize(text, false);
  }

  private NormalizedText normalize(String text, boolean spans) {
    Utf8Text in = spans ? Utf8Text.of(text) : Utf8Text.withoutSpans(text);
    byte[] src = in.bytes();
    int n = src.length;
    // Room for escaping: every space grows to three bytes ('▁'), and texts are often 20 % spaces.
    NormalizedText out = new NormalizedText(n + n / 2 + 3);
    int pos = 0;
    if (removeExtraWhitespaces) {
      while (pos < n) {
        long rule = rule(src, pos, n);
        if (!isSingleSpace(rule, src, pos)) {
          break;
        }
        pos += ruleLength(rule);
      }
    }
    if (pos == n) {
      return out;
    }
    int firstSpanStart = spans ? in.charStart()[pos] : 0;
    boolean prevSpace = removeExtraWhitespaces;
    int prefixBytes = 0;
    if (!whitespaceAsSuffix && addDummyPrefix) {
      prefixBytes = appendSpace(out, firstSpanStart, firstSpanStart);
    }
    while (pos < n) {
      long rule = rule(src, pos, n);
      int consumed = ruleLength(rule);
      int spanStart = spans ? in.charStart()[pos] : 0;
      int spanEnd = spans ? in.charEnd()[pos + consumed - 1] : 0;
      int from;
      int to;
      byte[] data;
      if ((int) rule >= 0) {
        // A precompiled rule: its replacement string.
        from = (int) rule;
        to = from + charsMap.replacementLength(from);
        data = null;
      } else {
        // Kept as is: a user-defined symbol or a character no rule covers.
        from = pos;
        to = pos + consumed;
        data = src;
      }
      if (prevSpace && removeExtraWhitespaces) {
        while (from < to && byteAt(data, from) == ' ') {
          from++;
        }
      }
      if (from < to) {
        for (int k = from; k < to; k++) {
          byte b = byteAt(data, k);
          if (escapeWhitespaces && b == ' ') {
            for (byte s : SPACE_SYMBOL) {
              out.append(s, spanStart, spanEnd);
            }
          } else {
            out.append(b, spanStart, spanEnd);
          }
        }
        prevSpace = byteAt(data, to - 1) == ' ';
      }
      pos += consumed;
      if (!removeExtraWhitespaces) {
        prevSpace = false;
      }
    }
    if (removeExtraWhitespaces) {
      byte[] space = escapeWhitespaces ? SPACE_SYMBOL : SPACE;
      while (out.endsWith(space)) {
        out.truncate(out.length() - space.length);
      }
    }
    if (prefixBytes > 0) {
      // The dummy prefix stands for the first character that follows it, as HF's Prepend has it.
      int s = out.length() > prefixBytes ? out.spanStart(prefixBytes) : firstSpanStart;
      int e = out.length() > prefixBytes ? out.spanEnd(prefixBytes) : firstSpanStart;
      for (int k = 0; k < Math.min(prefixBytes, out.length()); k++) {
        out.setSpan(k, s, e);
      }
    }
    if (whitespaceAsSuffix && addDummyPrefix) {
      int last = out.length() == 0 ? text.length() : out.spanEnd(out.length() - 1);
      int first = out.length() == 0 ? text.length() : out.spanStart(out.length() - 1);
      appendSpace(out, first, last);
    }
    return out;
  }

  private byte byteAt(byte[] data, int k) {
    return data != null ? data[k] : charsMap.replacementByte(k);
  }

  private int appendSpace(NormalizedText out, int spanStart, int spanEnd) {
    byte[] space = escapeWhitespaces ? SPACE_SYMBOL : SPACE;
    for (byte b : space) {
      out.append(b, spanStart, spanEnd);
    }
    return space.length;
  }

  /**
   * What applies at {@code pos}, packed as {@code length << 32 | replacement}: the length of input
   * it consumes, and the offset of a precompiled rule's replacement, or {@code 0xFFFFFFFF} when the
   * input is kept as is (a user-defined symbol, or a character no rule covers).
   */
  private long rule(byte[] src, int pos, int n) {
    if (userDefined != null) {
      int length = userDefined.longestPrefix(src, pos, n);
      if (length > 0) {
        return keep(length);
      }
    }
    if (charsMap != null) {
      long match = charsMap.longestMatch(src, pos, n);
      if (match >= 0) {
        return match;
      }
    }
    int length = Utf8Text.validCharLength(src, pos, n);
    return keep(length == 0 ? 1 : length);
  }

  private static long keep(int length) {
    return (long) length << 32 | 0xFFFF_FFFFL;
  }

  private static int ruleLength(long rule) {
    return (int) (rule >>> 32);
  }

  private boolean isSingleSpace(long rule, byte[] src, int pos) {
    if ((int) rule >= 0) {
      int from = (int) rule;
      return charsMap.replacementLength(from) == 1 && charsMap.replacementByte(from) == ' ';
    }
    return ruleLength(rule) == 1 && src[pos] == ' ';
  }
}
