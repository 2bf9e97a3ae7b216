package io.lmserve.transformer.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention. {@link #attend}: one query head over a run of cached keys and
 * values, with the softmax computed online (running maximum and sum) so no score buffer is needed,
 * or by {@link DecodeAttention} when every key is kept and the kernels are vector ones. {@link
 * #attendAll}: every row of a sequence against every row (BERT), and {@link #attendCausal}: the
 * rows of a prefill against their cache, as two matrix products per head on the {@link Microkernel}
 * with the softmax between them.
 */
public final class Attention {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private Attention() {}

  private record Scratch(float[] keys, float[] scores, float[] tile, int[] rows) {}

  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  /** Whether {@link #attendAll} can run with these kernels and this head size. */
  public static boolean blocked(Kernels k, int d) {
    return k instanceof VectorKernels && d % Microkernel.L == 0;
  }

  /**
   * For each row {@code i < width} of one sequence, {@code out[row i, head] = softmax(q_i·k_j ·
   * scale)_j · v_j} over the rows {@code j} whose {@code keep[keepOff + j]} is true (none: zeros).
   * Row {@code i} of this head starts at {@code [(first + i) · stride + headOff]} in q, k, v and
   * out. Needs {@link #blocked}; see {@link #blockedRows}.
   */
  public static void attendAll(
      float[] q,
      float[] k,
      float[] v,
      int stride,
      int first,
      int headOff,
      int width,
      boolean[] keep,
      int keepOff,
      float scale,
      int d,
      float[] out) {
    int base = first * stride + headOff;
    blockedRows(
        q, base, stride, k, v, base, stride, width, width, -1, keep, keepOff, scale, d, out, base,
        stride);
  }

  /**
   * Causal attention of {@code rows} consecutive positions of one sequence (a prefill): row {@code
   * i}, at position {@code past + i}, attends to the keys and values of positions {@code [0, past +
   * i]}, which must already be stored. Query row i of this head is {@code q[qBase + i·qStride,
   * +d)}, key and value j {@code k/v[kvBase + j·kvStride, +d)}, output row i {@code out[outBase +
   * i·outStride, +d)}. Needs {@link #blocked}; see {@link #blockedRows}.
   */
  public static void attendCausal(
      float[] q,
      int qBase,
      int qStride,
      float[] k,
      float[] v,
      int kvBase,
      int kvStride,
      int past,
      int rows,
      float scale,
      int d,
      float[] out,
      int outBase,
      int outStride) {
    blockedRows(
        q,
        qBase,
        qStride,
        k,
        v,
        kvBase,
        kvStride,
        past + rows,
        rows,
        past,
        null,
        0,
        scale,
        d,
        out,
        outBase,
        outStride);
  }

  /**
   * The blocked attention of {@code rows} query rows over {@code keys} keys, as two matrix products
   * on the {@link Microkernel} with a vector softmax between them. The keys are transposed once
   * (keys in the lanes); then 8 query rows at a time take their scores from the Microkernel, their
   * softmax, and their outputs (head dimensions in the lanes) from it again. With {@code causal ≥
   * 0}, query row i sees keys {@code [0, causal + i]} only: a block of rows multiplies only the
   * keys its last row sees, and the softmax zeroes each row's later ones.
   */
  private static void blockedRows(
      float[] q,
      int qBase,
      int qStride,
      float[] k,
      float[] v,
      int kvBase,
      int kvStride,
      int keys,
      int rows,
      int causal,
      boolean[] keep,
      int keepOff,
      float scale,
      int d,
      float[] out,
      int outBase,
      int outStride) {
    int lanes = Microkernel.L;
    int padded = (keys + lanes - 1) / lanes * lanes;
    Scratch s = SCRATCH.get();
    if (s == null || s.keys.length < d * padded || s.scores.length < Microkernel.ROWS * padded) {
      s =
          new Scratch(
              new float[d * padded],
              new float[Microkernel.ROWS * padded],
              new float[Microkernel.ROWS * Microkernel.WIDTH],
              new int[Microkernel.ROWS]);
      SCRATCH.set(s);
    }
    float[] keyT = s.keys;
    float[] scores = s.scores;
    for (int j = 0; j < padded; j++) {
      boolean real = j < keys;
      int src = kvBase + j * kvStride;
      for (int c = 0; c < d; c++) {
        keyT[c * padded + j] = real ? k[src + c] : 0f;
      }
    }
    for (int i0 = 0; i0 < rows; i0 += Microkernel.ROWS) {
      int count = Math.min(Microkernel.ROWS, rows - i0);
      // Keys this block multiplies: all, or (causal) those its last row sees.
      int seen = causal < 0 ? keys : causal + i0 + count;
      int seenPadded = (seen + lanes - 1) / lanes * lanes;
      for (int m = 0; m < Microkernel.ROWS; m++) {
        s.rows[m] = qBase + (i0 + Math.min(m, count - 1)) * qStride;
      }
      for (int j0 = 0; j0 < seenPadded; j0 += Microkernel.WIDTH) {
        int vectors = Math.min(3, (seenPadded - j0) / lanes);
        Microkernel.multiply(vectors, keyT, j0, padded, q, s.rows, d, s.tile);
        for (int m = 0; m < count; m++) {
          System.arraycopy(s.tile, m * Microkernel.WIDTH, scores, m * padded + j0, vectors * lanes);
        }
      }
      for (int m = 0; m < count; m++) {
        int width = causal < 0 ? keys : causal + i0 + m + 1;
        softmax(scores, m * padded, width, seenPadded, keep, keepOff, scale);
      }
      for (int m = 0; m < Microkernel.ROWS; m++) {
        s.rows[m] = Math.min(m, count - 1) * padded;
      }
      for (int c0 = 0; c0 < d; c0 += Microkernel.WIDTH) {
        int vectors = Math.min(3, (d - c0) / lanes);
        Microkernel.multiply(vectors, v, kvBase + c0, kvStride, scores, s.rows, seen, s.tile);
        for (int m = 0; m < count; m++) {
          System.arraycopy(
              s.tile,
              m * Microkernel.WIDTH,
              out,
              outBase + (i0 + m) * outStride + c0,
              vectors * lanes);
        }
      }
    }
  }

  /**
   * Scores {@code x[off, off + width)} become probabilities (times {@code scale}, masked keys and
   * the padding up to {@code padded} exactly 0; no kept key: all 0).
   */
  private static void softmax(
      float[] x, int off, int width, int padded, boolean[] keep, int keepOff, float scale) {
    int lanes = Microkernel.L;
    int whole = width / lanes * lanes;
    FloatVector top = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
    for (int j = 0; j < whole; j += lanes) {
      FloatVector v = FloatVector.fromArray(F, x, off + j).mul(scale);
      if (keep != null) {
        v = v.blend(Float.NEGATIVE_INFINITY, VectorMask.fromArray(F, keep, keepOff + j).not());
      }
      top = top.max(v);
    }
    float max = top.reduceLanes(VectorOperators.MAX);
    for (int j = whole; j < width; j++) {
      if (keep == null || keep[keepOff + j]) {
        max = Math.max(max, x[off + j] * scale);
      }
    }
    if (max == Float.NEGATIVE_INFINITY) {
      java.util.Arrays.fill(x, off, off + padded, 0f);
      return;
    }
    FloatVector zero = FloatVector.zero(F);
    for (int j = 0; j < padded; j += lanes) {
      FloatVector e =
          VectorActivation.exp(FloatVector.fromArray(F, x, off + j).mul(scale).sub(max));
      VectorMask<Float> live = F.indexInRange(j, width);
      if (keep != null && j < whole) {
        live = live.and(VectorMask.fromArray(F, keep, keepOff + j));
      }
      e.blend(zero, live.not()).intoArray(x, off + j);
    }
    if (keep != null) {
      for (int j = whole; j < width; j++) {
        if (!keep[keepOff + j]) {
          x[off + j] = 0f;
        }
      }
    }
    FloatVector total = zero;
    for (int j = 0; j < padded; j += lanes) {
      total = total.add(FloatVector.fromArray(F, x, off + j));
    }
    float inv = 1f / VectorKernels.sum(total);
    for (int j = 0; j < padded; j += lanes) {
      FloatVector.fromArray(F, x, off + j).mul(inv).intoArray(x, off + j);
    }
  }

  /**
   * {@code out[outOff, outOff + d) = softmax(q·kⱼ · scale)ⱼ · vⱼ} over positions {@code j < length}
   * whose {@code keep[j]} is true ({@code keep == null}: all). Key j of this head starts at {@code
   * keys[j * stride + headOff]}, likewise values. No kept key gives zeros. With every key kept and
   * vector kernels, {@link DecodeAttention}'s three vector passes run instead of the online
   * softmax.
   */
  public static void attend(
      float[] q,
      int qOff,
      float[] keys,
      float[] values,
      int stride,
      int headOff,
      int length,
      boolean[] keep,
      int keepOff,
      float scale,
      int d,
      float[] out,
      int outOff,
      Kernels k) {
    if (keep == null && DecodeAttention.supports(k, d)) {
      DecodeAttention.attend(q, qOff, keys, values, stride, headOff, length, scale, d, out, outOff);
      return;
    }
    java.util.Arrays.fill(out, outOff, outOff + d, 0f);
    float max = Float.NEGATIVE_INFINITY;
    float sum = 0f;
    for (int j = 0; j < length; j++) {
      if (keep != null && !keep[keepOff + j]) {
        continue;
      }
      int kvOff = j * stride + headOff;
      float s = k.dot(q, qOff, keys, kvOff, d) * scale;
      if (s > max) {
        float rescale = max == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(max - s);
        sum = sum * rescale + 1f;
        k.scaleAdd(rescale, out, outOff, 1f, values, kvOff, d);
        max = s;
      } else {
        float p = (float) Math.exp(s - max);
        sum += p;
        k.scaleAdd(1f, out, outOff, p, values, kvOff, d);
      }
    }
    if (sum > 0f) {
      float inv = 1f / sum;
      for (int i = 0; i < d; i++) {
        out[outOff + i] *= inv;
      }
    }
  }
}
