package io.lmserve.tokenizer.sentencepiece;

import java.util.Arrays;

/** A segmentation: pieces as byte ranges of the normalized text with their ids, in order. */
final class Segments {

  private int[] begin;
  private int[] end;
  private int[] id;
  private int size;

  Segments() {
    this(16);
  }

  Segments(int capacity) {
    capacity = Math.max(capacity, 1);
    begin = new int[capacity];
    end = new int[capacity];
    id = new int[capacity];
  }

  void add(int from, int to, int pieceId) {
    if (size == begin.length) {
      int capacity = size * 2;
      begin = Arrays.copyOf(begin, capacity);
      end = Arrays.copyOf(end, capacity);
      id = Arrays.copyOf(id, capacity);
    }
    begin[size] = from;
    end[size] = to;
    id[size] = pieceId;
    size++;
  }

  int size() {
    return size;
  }

  int begin(int i) {
    return begin[i];
  }

  int end(int i) {
    return end[i];
  }

  int id(int i) {
    return id[i];
  }

  void reverse() {
    for (int i = 0, j = size - 1; i < j; i++, j--) {
      swap(begin, i, j);
      swap(end, i, j);
      swap(id, i, j);
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
