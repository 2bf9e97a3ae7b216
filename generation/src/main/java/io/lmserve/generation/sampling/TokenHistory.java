package io.lmserve.generation.sampling;

import java.util.Arrays;

/**
 * The tokens a sequence has seen, for the penalties: which distinct ids occur in prompt or output
 * (repetition penalty) and how often each occurs in the output (presence/frequency penalties). Per
 * request, used by one thread at a time.
 */
public final class TokenHistory {

  private final int[] outputCounts;
  private final boolean[] seen;
  private int[] distinct = new int[64];
  private int distinctCount;

  public TokenHistory(int vocabSize) {
    this.outputCounts = new int[vocabSize];
    this.seen = new boolean[vocabSize];
  }

  public void addPrompt(int[] ids) {
    for (int id : ids) {
      see(id);
    }
  }

  public void addOutput(int id) {
    see(id);
    outputCounts[id]++;
  }

  int distinctCount() {
    return distinctCount;
  }

  int distinct(int index) {
    return distinct[index];
  }

  int outputCount(int id) {
    return outputCounts[id];
  }

  private void see(int id) {
    if (seen[id]) {
      return;
    }
    seen[id] = true;
    if (distinctCount == distinct.length) {
      distinct = Arrays.copyOf(distinct, distinctCount * 2);
    }
    distinct[distinctCount++] = id;
  }
}
