package io.lmserve.tokenizer;

import java.util.Arrays;

/** A growable int array collecting the ids of one text. */
final class IdsBuffer {
  private int[] ids;
  private int size;

  IdsBuffer(int capacity) {
    ids = new int[Math.max(capacity, 8)];
  }

  void add(int id) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  void addAll(int[] more) {
    addAll(more, 0, more.length);
  }

  void addAll(int[] from, int start, int count) {
    if (size + count > ids.length) {
      ids = Arrays.copyOf(ids, Math.max(size * 2, size + count));
    }
    System.arraycopy(from, start, ids, size, count);
    size += count;
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(ids, size);
  }
}
