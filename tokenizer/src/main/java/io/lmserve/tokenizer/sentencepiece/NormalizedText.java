package io.lmserve.tokenizer.sentencepiece;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Normalized text as UTF-8 bytes, where every byte knows the {@code char} span {@code [start, end)}
 * of the original text it came from. Bytes the normalizer inserted (the dummy prefix) take the span
 * of the character they stand before, as HF tokenizers' {@code Prepend} does.
 */
final class NormalizedText {

  private byte[] bytes;
  private int[] start;
  private int[] end;
  private int length;

  NormalizedText(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
    start = new int[bytes.length];
    end = new int[bytes.length];
  }

  void append(byte b, int spanStart, int spanEnd) {
    if (length == bytes.length) {
      int capacity = Math.addExact(length, length >> 1) + 16;
      bytes = Arrays.copyOf(bytes, capacity);
      start = Arrays.copyOf(start, capacity);
      end = Arrays.copyOf(end, capacity);
    }
    bytes[length] = b;
    start[length] = spanStart;
    end[length] = spanEnd;
    length++;
  }

  void truncate(int newLength) {
    length = newLength;
  }

  void setSpan(int index, int spanStart, int spanEnd) {
    start[index] = spanStart;
    end[index] = spanEnd;
  }

  int length() {
    return length;
  }

  /** The bytes; only the first {@link #length()} are meaningful. */
  byte[] bytes() {
    return bytes;
  }

  int spanStart(int index) {
    return start[index];
  }

  int spanEnd(int index) {
    return end[index];
  }

  boolean endsWith(byte[] suffix) {
    if (length < suffix.length) {
      return false;
    }
    for (int i = 0; i < suffix.length; i++) {
      if (bytes[length - suffix.length + i] != suffix[i]) {
        return false;
      }
    }
    return true;
  }

  String text() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  String text(int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }
}
