package io.lmserve.transformer.nn;

import java.util.Arrays;
import java.util.Optional;

/** The activation functions HF configs name ({@code hidden_act} / {@code activation_function}). */
public enum Activation {
  /** HF "gelu": exact, {@code 0.5·x·(1 + erf(x/√2))} (BERT). */
  GELU("gelu"),
  /** HF "gelu_new": the tanh approximation GPT-2 was trained with. */
  GELU_NEW("gelu_new"),
  /** PyTorch's tanh approximation: the same formula as gelu_new. */
  GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
  GELU_FAST("gelu_fast"),
  QUICK_GELU("quick_gelu"),
  RELU("relu"),
  SILU("silu"),
  SWISH("swish"),
  TANH("tanh");

  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
  private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);

  private final String hfName;

  Activation(String hfName) {
    this.hfName = hfName;
  }

  public String hfName() {
    return hfName;
  }

  public static Optional<Activation> fromHfName(String name) {
    return Arrays.stream(values()).filter(a -> a.hfName.equals(name)).findFirst();
  }

  public float apply(float v) {
    double x = v;
    return (float)
        switch (this) {
          case GELU -> 0.5 * x * (1.0 + erf(x * INV_SQRT_2));
          case GELU_NEW, GELU_PYTORCH_TANH ->
              0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
          case GELU_FAST ->
              0.5 * x * (1.0 + Math.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x)));
          case QUICK_GELU -> x / (1.0 + Math.exp(-1.702 * x));
          case RELU -> Math.max(0.0, x);
          case SILU, SWISH -> x / (1.0 + Math.exp(-x));
          case TANH -> Math.tanh(x);
        };
  }

  /** Applies the activation in place to {@code x[from, to)}. */
  public void applyInPlace(float[] x, int from, int to) {
    for (int i = from; i < to; i++) {
      x[i] = apply(x[i]);
    }
  }

  /**
   * The error function, Abramowitz and Stegun 7.1.26 (|error| ≤ 1.5e-7), evaluated in double: ample
   * for a GELU whose result is rounded to float. Java has no {@code Math.erf}.
   */
  static double erf(double x) {
    double t = 1.0 / (1.0 + 0.3275911 * Math.abs(x));
    double poly =
        t
            * (0.254829592
                + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    double y = 1.0 - poly * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }
}
