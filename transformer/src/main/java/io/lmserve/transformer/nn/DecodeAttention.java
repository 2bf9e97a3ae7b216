package io.lmserve.transformer.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One query row of one head against a KV cache with every key kept (GPT-2's decode and its per-row
 * prefill, through {@link Attention#attend} with vector kernels), in three vector passes instead of
 * {@link Attention#attend}'s online softmax: all scores into a per-thread buffer, one vector exp
 * over them ({@link VectorActivation#exp}, within about an ulp of {@code Math.exp}), then the
 * weighted sum of the values with the head's outputs in registers. The online softmax called {@code
 * Math.exp} and rescaled the outputs in memory once per key; this was the largest cost of a batch-8
 * decode step after the matrix products.
 */
final class DecodeAttention {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Each thread's scores, grown to the longest context seen (rounded up to whole vectors). */
  private static final ThreadLocal<float[]> SCORES = new ThreadLocal<>();

  private DecodeAttention() {}

  /** Whether {@code k} and a head size of {@code d} take this path (vector kernels, d ≥ lanes). */
  static boolean supports(Kernels k, int d) {
    return k instanceof VectorKernels && d >= L;
  }

  /**
   * {@code out[outOff + i] = Σ_j softmax_j(scale · q·k_j) · v_j[i]} over keys {@code j < length},
   * key and value {@code j} at {@code j·stride + headOff} of {@code keys} and {@code values}.
   */
  static void attend(
      float[] q,
      int qOff,
      float[] keys,
      float[] values,
      int stride,
      int headOff,
      int length,
      float scale,
      int d,
      float[] out,
      int outOff) {
    int padded = (length + L - 1) / L * L;
    float[] scores = SCORES.get();
    if (scores == null || scores.length < padded) {
      scores = new float[Math.max(padded, 256)];
      SCORES.set(scores);
    }
    int upper = F.loopBound(d);
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < length; j++) {
      float s = VectorKernels.INSTANCE.dot(q, qOff, keys, j * stride + headOff, d) * scale;
      scores[j] = s;
      max = Math.max(max, s);
    }
    FloatVector maxV = FloatVector.broadcast(F, max);
    FloatVector total = FloatVector.zero(F);
    for (int j = 0; j < padded; j += L) {
      FloatVector p = VectorActivation.exp(FloatVector.fromArray(F, scores, j).sub(maxV));
      if (j + L > length) {
        // Lanes past the context hold stale scores: their weight is exactly 0.
        p = p.blend(0f, F.indexInRange(j, length).not());
      }
      p.intoArray(scores, j);
      total = total.add(p);
    }
    float inv = 1f / VectorKernels.sum(total);
    int i = 0;
    for (; i + 4 * L <= upper; i += 4 * L) {
      FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
      for (int j = 0; j < length; j++) {
        int vOff = j * stride + headOff + i;
        FloatVector p = FloatVector.broadcast(F, scores[j]);
        a0 = FloatVector.fromArray(F, values, vOff).fma(p, a0);
        a1 = FloatVector.fromArray(F, values, vOff + L).fma(p, a1);
        a2 = FloatVector.fromArray(F, values, vOff + 2 * L).fma(p, a2);
        a3 = FloatVector.fromArray(F, values, vOff + 3 * L).fma(p, a3);
      }
      a0.mul(inv).intoArray(out, outOff + i);
      a1.mul(inv).intoArray(out, outOff + i + L);
      a2.mul(inv).intoArray(out, outOff + i + 2 * L);
      a3.mul(inv).intoArray(out, outOff + i + 3 * L);
    }
    for (; i < upper; i += L) {
      FloatVector a = FloatVector.zero(F);
      for (int j = 0; j < length; j++) {
        a =
            FloatVector.fromArray(F, values, j * stride + headOff + i)
                .fma(FloatVector.broadcast(F, scores[j]), a);
      }
      a.mul(inv).intoArray(out, outOff + i);
    }
    for (; i < d; i++) {
      float a = 0f;
      for (int j = 0; j < length; j++) {
        a = Math.fma(values[j * stride + headOff + i], scores[j], a);
      }
      out[outOff + i] = a * inv;
    }
  }
}
