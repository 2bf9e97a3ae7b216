package io.lmserve.bench;

import io.lmserve.generation.sampling.Sampler;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.Session;
import java.util.SplittableRandom;

/**
 * How closely the int8 model follows its float original on a big checkpoint: the float model
 * decodes greedily after a random prompt, the int8 model is fed the same tokens (teacher forcing),
 * and at every step the two top tokens and the logits are compared.
 */
final class Int8Agreement {

  private Int8Agreement() {}

  static String measure(CausalLm reference, CausalLm int8, int prompt, int steps) {
    int[] ids = new SplittableRandom(7).ints(prompt, 0, reference.config().vocabSize()).toArray();
    int agree = 0;
    double maxError = 0;
    double maxLogit = 0;
    try (Session f = reference.newSession(prompt + steps);
        Session q = int8.newSession(prompt + steps)) {
      float[] a = f.prefill(ids);
      float[] b = q.prefill(ids);
      for (int step = 0; step < steps; step++) {
        int next = Sampler.argmax(a);
        agree += Sampler.argmax(b) == next ? 1 : 0;
        for (int v = 0; v < a.length; v++) {
          maxError = Math.max(maxError, Math.abs(a[v] - b[v]));
          maxLogit = Math.max(maxLogit, Math.abs(a[v]));
        }
        if (step + 1 < steps) {
          a = f.decode(next);
          b = q.decode(next);
        }
      }
    }
    return String.format(
        "int8 vs float, %d greedy steps after %d random tokens (teacher-forced): top token equal on"
            + " %d/%d (%.1f %%), max |logit difference| %.4f (largest |logit| %.2f)",
        steps, prompt, agree, steps, 100.0 * agree / steps, maxError, maxLogit);
  }
}
