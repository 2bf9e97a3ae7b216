package io.lmserve.bench;

import io.lmserve.generation.sampling.Sampler;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** lmserve's engine on a loaded model, through its public API as a user would call it. */
final class LmserveEngine implements Engine {

  private final LanguageModel model;
  private final String name;
  private final SplittableRandom random = new SplittableRandom(0);

  LmserveEngine(LanguageModel model, String name) {
    this.model = model;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public double prefill(int tokens) {
    CausalLm lm = (CausalLm) model;
    int[] ids = randomIds(tokens, 0);
    try (Session s = lm.newSession(tokens)) {
      long t0 = System.nanoTime();
      s.prefill(ids);
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  @Override
  public double decode(int batch, int prompt, int newTokens) {
    CausalLm lm = (CausalLm) model;
    List<Session> sessions = new ArrayList<>();
    try {
      int[] next = new int[batch];
      for (int b = 0; b < batch; b++) {
        Session s = lm.newSession(prompt + newTokens);
        sessions.add(s);
        next[b] = Sampler.argmax(s.prefill(randomIds(prompt, 0)));
      }
      long t0 = System.nanoTime();
      for (int step = 0; step < newTokens; step++) {
        if (batch == 1) {
          next[0] = Sampler.argmax(sessions.getFirst().decode(next[0]));
        } else {
          float[][] logits = lm.decodeBatch(sessions, next);
          for (int b = 0; b < batch; b++) {
            next[b] = Sampler.argmax(logits[b]);
          }
        }
      }
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      sessions.forEach(Session::close);
    }
  }

  @Override
  public double maskedLm(int batch, int length) {
    MaskedLm mlm = (MaskedLm) model;
    int[][] ids = new int[batch][];
    int[][] types = new int[batch][length];
    int[][] mask = new int[batch][length];
    for (int b = 0; b < batch; b++) {
      ids[b] = randomIds(length, Math.min(1000, model.config().vocabSize() - 1));
      Arrays.fill(mask[b], 1);
    }
    long t0 = System.nanoTime();
    mlm.mlmLogits(ids, types, mask);
    return (System.nanoTime() - t0) / 1e9;
  }

  private int[] randomIds(int n, int from) {
    return random.ints(n, from, model.config().vocabSize()).toArray();
  }
}
