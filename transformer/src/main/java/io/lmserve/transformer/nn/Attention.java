package io.lmserve.transformer.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention. {@link #attend}: one query head over a run of cached keys and
 * values, with the softmax computed online (running maximum and sum) so no score buffer is needed.
 * {@link #attendAll}: every row of a sequence against every row (BERT), as two matrix products per
 * head on the {@link Microkernel} with the softmax between them.
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
   * out. The keys are transposed once, then 8 query rows at a time take their scores from the
   * {@link Microkernel} (keys in the lanes), their softmax, and their outputs (head dimensions in
   * the lanes) from it again. Needs {@link #blocked}.
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
    int lanes = Microkernel.L;
    int padded = (width + lanes - 1) / lanes * lanes;
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
    float[] keys = s.keys;
    float[] scores = s.scores;
    for (int j = 0; j < padded; j++) {
      boolean real = j < width;
      int src = (first + j) * stride + headOff;
      for (int c = 0; c < d; c++) {
        keys[c * padded + j] = real ? k[src + c] : 0f;
      }
    }
    for (int i0 = 0; i0 < width; i0 += Microkernel.ROWS) {
      int count = Math.min(Microkernel.ROWS, width - i0);
      for (int m = 0; m < Microkernel.ROWS; m++) {
        s.rows[m] = (first + i0 + Math.min(m, count - 1)) * stride + headOff;
      }
      for (int j0 = 0; j0 < padded; j0 += Microkernel.WIDTH) {
        int vectors = Math.min(3, (padded - j0) / lanes);
        Microkernel.multiply(vectors, keys, j0, padded, q, s.rows, d, s.tile);
        for (int m = 0; m < count; m++) {
          System.arraycopy(s.tile, m * Microkernel.WIDTH, scores, m * padded + j0, vectors * lanes);
        }
      }
      for (int m = 0; m < count; m++) {
        softmax(scores, m * padded, width, padded, keep, keepOff, scale);
      }
      for (int m = 0; m < Microkernel.ROWS; m++) {
        s.rows[m] = Math.min(m, count - 1) * padded;
      }
      for (int c0 = 0; c0 < d; c0 += Microkernel.WIDTH) {
        int vectors = Math.min(3, (d - c0) / lanes);
        Microkernel.multiply(
            vectors, v, first * stride + headOff + c0, stride, scores, s.rows, width, s.tile);
        for (int m = 0; m < count; m++) {
          System.arraycopy(
              s.tile,
              m * Microkernel.WIDTH,
              out,
              (first + i0 + m) * stride + headOff + c0,
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
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < width; j++) {
      if (keep == null || keep[keepOff + j]) {
        max = Math.max(max, x[off + j] * scale);
      }
    }
    if (max == Float.NEGATIVE_INFINITY) {
      java.util.Arrays.fill(x, off, off + padded, 0f);
      return;
    }
    for (int j = 0; j < padded; j += Microkernel.L) {
      FloatVector e = FloatVector.fromArray(F, x, off + j).mul(scale).sub(max);
      VectorActivation.exp(e).intoArray(x, off + j);
    }
    float sum = 0f;
    for (int j = 0; j < padded; j++) {
      if (j >= width || (keep != null && !keep[keepOff + j])) {
        x[off + j] = 0f;
      }
      sum += x[off + j];
    }
    float inv = 1f / sum;
    for (int j = 0; j < width; j++) {
      x[off + j] *= inv;
    }
  }

  /**
   * {@code out[outOff, outOff + d) = softmax(q·kⱼ · scale)ⱼ · vⱼ} over positions {@code j < length}
   * whose {@code keep[j]} is true ({@code keep == null}: all). Key j of this head starts at {@code
   * keys[j * stride + headOff]}, likewise values. No kept key gives zeros.
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
