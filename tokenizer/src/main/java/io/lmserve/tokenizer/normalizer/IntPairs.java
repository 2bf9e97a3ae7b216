package io.lmserve.tokenizer.normalizer;

import java.util.Arrays;

/** A growable list of {@code (a, b)} int pairs (ranges), without boxing. */
public final class IntPairs {
  private int[] data = new int[16];
  private int size;

  public void add(int a, int b) {
    if (2 * size + 2 > data.length) {
      data = Arrays.copyOf(data, data.length * 2);
    }
    data[2 * size] = a;
    data[2 * size + 1] = b;
    size++;
  }

  public int size() {
    return size;
  }

  public int first(int i) {
    return data[2 * i];
  }

  public int second(int i) {
    return data[2 * i + 1];
  }

  public void clear() {
    size = 0;
  }
}
