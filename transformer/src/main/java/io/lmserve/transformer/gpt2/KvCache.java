package io.lmserve.transformer.gpt2;

/**
 * Keys and values of every layer for one sequence, allocated once for {@code capacity} positions:
 * {@code keys[layer][position * hidden + head * headDim + i]}.
 */
final class KvCache {

  final float[][] keys;
  final float[][] values;
  final int capacity;

  KvCache(int layers, int capacity, int hidden) {
    if ((long) capacity * hidden > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "KV cache of " + capacity + " positions x " + hidden + " is too large for one array");
    }
    this.capacity = capacity;
    this.keys = new float[layers][capacity * hidden];
    this.values = new float[layers][capacity * hidden];
  }
}
