package io.lmserve.tokenizer;

/**
 * Converts UTF-16 indices of one text to code points or UTF-8 bytes. Indices are visited in mostly
 * increasing order, so conversion walks forward from the last position (linear overall).
 */
final class OffsetConverter {
  private final String text;
  private final OffsetUnit unit;
  private int lastIndex;
  private int lastValue;

  OffsetConverter(String text, OffsetUnit unit) {
    this.text = text;
    this.unit = unit;
  }

  int convert(int index) {
    if (unit == OffsetUnit.UTF16) {
      return index;
    }
    if (index < lastIndex) {
      lastIndex = 0;
      lastValue = 0;
    }
    int i = lastIndex;
    int v = lastValue;
    while (i < index) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (i + 2 > index) {
          break; // index inside a pair cannot happen; stay at the pair's start
        }
        v += unit == OffsetUnit.CODE_POINT ? 1 : 4;
        i += 2;
      } else {
        v += unit == OffsetUnit.CODE_POINT ? 1 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        i++;
      }
    }
    lastIndex = i;
    lastValue = v;
    return v;
  }
}
