package io.lmserve.transformer.gpt2;

/**
 * Keys and values of every layer for one sequence, allocated once for {@code capacity} positions,
 * head by head: {@code keys[layer][(head * capacity + position) * headDim + i]}. A query row reads
 * one head's keys and values as two contiguous runs (a position-major layout made it read 256 bytes
 * of every 3 KB position, which at batch 8 is tens of megabytes per step from memory).
 */
final class KvCache {

  final float[][] keys;
  final float[][] values;
  final int capacity;
  private final int headDim;

  KvCache(int layers, int capacity, int heads, int headDim) {
    if ((long) capacity * heads * headDim > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "KV cache of "
              + capacity
              + " positions x "
              + heads * headDim
              + " is too large for one array");
    }
    this.capacity = capacity;
    this.headDim = headDim;
    this.keys = new float[layers][capacity * heads * headDim];
    this.values = new float[layers][capacity * heads * headDim];
  }

  /** Index of {@code [head, position, 0]} in a layer's keys or values. */
  int offset(int head, int position) {
    return (head * capacity + position) * headDim;
  }
}
