package io.lmserve.transformer.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GELUs over vectors of floats, for the feed-forward layers where the scalar {@link
 * Activation#apply} (a double {@code exp} or {@code tanh} per element) was a tenth of BERT's time.
 * Both forms are rewritten around one {@code exp} that cannot cancel:
 *
 * <ul>
 *   <li>exact GELU: with {@code q = P(t)·exp(-z²)} from the same Abramowitz–Stegun 7.1.26 erf as
 *       the scalar path ({@code z = x/√2}, {@code t = 1/(1 + p|z|)}), {@code 1 + erf(z)} is {@code
 *       2 - q} for {@code z ≥ 0} and {@code q} below, so large negative inputs keep their tiny
 *       values instead of the difference of two numbers near 1;
 *   <li>tanh GELU: {@code 0.5·x·(1 + tanh u) = x / (1 + exp(-2u))}.
 * </ul>
 *
 * The exponential is computed here from FMAs and adds rather than by {@code
 * lanewise(VectorOperators.EXP)}, whose compiled (SVML) and interpreted forms round differently: a
 * model must give the same bits on its first call as on its thousandth.
 *
 * <p>Other activations, and elements past the last whole vector, use {@link Activation#apply}.
 */
final class VectorActivation {

  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));
  private static final float MINUS_2_SQRT_2_OVER_PI = (float) (-2.0 * Math.sqrt(2.0 / Math.PI));

  private VectorActivation() {}

  static boolean supports(Activation a) {
    return switch (a) {
      case GELU, GELU_NEW, GELU_PYTORCH_TANH -> true;
      default -> false;
    };
  }

  /** Applies {@code a} (one {@link #supports} accepts) in place to {@code x[from, to)}. */
  static void applyInPlace(Activation a, float[] x, int from, int to) {
    int upper = from + F.loopBound(to - from);
    int i = from;
    if (a == Activation.GELU) {
      for (; i < upper; i += L) {
        erfGelu(FloatVector.fromArray(F, x, i)).intoArray(x, i);
      }
    } else {
      for (; i < upper; i += L) {
        tanhGelu(FloatVector.fromArray(F, x, i)).intoArray(x, i);
      }
    }
    for (; i < to; i++) {
      x[i] = a.apply(x[i]);
    }
  }

  private static final float LOG2_E = (float) (1 / Math.log(2));
  private static final float LN2_HIGH = 0.693359375f; // few bits: n·LN2_HIGH is exact
  private static final float LN2_LOW = -2.12194440e-4f;
  private static final float ROUNDING = 0x1.8p23f; // adding it rounds |v| < 2^22 to an integer

  /**
   * {@code e^x} within about one ulp for {@code x} in [-87.3, 88] (x is clamped there: below, the
   * result is under 1.3e-38 instead of 0; above, 1.65e38 instead of more): {@code e^x = 2^n · e^r}
   * with {@code n = round(x·log2 e)}, {@code r = x - n·ln 2} in two parts (|r| ≤ 0.347), and {@code
   * e^r} by its Taylor polynomial to degree 7 (remainder under 5e-9). NaN stays NaN.
   */
  static FloatVector exp(FloatVector x) {
    x = x.max(-87.3f).min(88f);
    FloatVector n = x.fma(FloatVector.broadcast(F, LOG2_E), FloatVector.broadcast(F, ROUNDING));
    n = n.sub(ROUNDING);
    FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), x);
    r = n.fma(FloatVector.broadcast(F, -LN2_LOW), r);
    FloatVector p = r.fma(FloatVector.broadcast(F, 1f / 5040), FloatVector.broadcast(F, 1f / 720));
    p = p.fma(r, FloatVector.broadcast(F, 1f / 120));
    p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
    p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
    p = p.fma(r, FloatVector.broadcast(F, 0.5f));
    p = p.fma(r, FloatVector.broadcast(F, 1f));
    p = p.fma(r, FloatVector.broadcast(F, 1f));
    IntVector bits = (IntVector) n.convert(VectorOperators.F2I, 0);
    FloatVector scale = bits.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(scale);
  }

  static FloatVector erfGelu(FloatVector x) {
    FloatVector z = x.mul(INV_SQRT_2);
    FloatVector t = z.abs().fma(0.3275911f, 1f);
    t = FloatVector.broadcast(F, 1f).div(t);
    FloatVector poly = t.fma(1.061405429f, -1.453152027f);
    poly = poly.fma(t, FloatVector.broadcast(F, 1.421413741f));
    poly = poly.fma(t, FloatVector.broadcast(F, -0.284496736f));
    poly = poly.fma(t, FloatVector.broadcast(F, 0.254829592f));
    poly = poly.mul(t);
    // -z² as -x²/2: one rounding fewer than squaring the rounded z.
    FloatVector q = poly.mul(exp(x.mul(x).mul(-0.5f)));
    VectorMask<Float> positive = z.compare(VectorOperators.GE, 0f);
    FloatVector onePlusErf = q.blend(FloatVector.broadcast(F, 2f).sub(q), positive);
    return x.mul(0.5f).mul(onePlusErf);
  }

  static FloatVector tanhGelu(FloatVector x) {
    FloatVector cube = x.mul(x).mul(x);
    FloatVector u2 = cube.mul(0.044715f).add(x).mul(MINUS_2_SQRT_2_OVER_PI);
    return x.div(exp(u2).add(1f));
  }
}
