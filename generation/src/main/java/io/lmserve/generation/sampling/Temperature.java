package io.lmserve.generation.sampling;

/** Divides the logits by the temperature (HF's TemperatureLogitsWarper); 1 leaves them alone. */
final class Temperature {

  private Temperature() {}

  static void apply(float[] logits, float temperature) {
    if (temperature == 1f) {
      return;
    }
    for (int i = 0; i < logits.length; i++) {
      logits[i] /= temperature;
    }
  }
}
