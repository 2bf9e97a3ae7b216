package io.lmserve.transformer;

import java.util.List;

/**
 * A decoder-only language model (GPT-2). Generation keeps its state in {@link Session}s, one per
 * sequence; the model itself holds none.
 */
public non-sealed interface CausalLm extends LanguageModel {

  /** A session whose KV cache holds up to {@code config().maxPositions()} tokens. */
  Session newSession();

  /** A session whose KV cache holds up to {@code capacity} tokens (at most maxPositions). */
  Session newSession(int capacity);

  /**
   * One decoding step for several sessions at once (continuous batching): feeds {@code tokens[i]}
   * to {@code sessions.get(i)} and returns each one's next-token logits. Sessions may hold
   * different lengths; each must be distinct, open and made by this model.
   */
  float[][] decodeBatch(List<Session> sessions, int[] tokens);

  /**
   * Logits {@code [batch][position][vocab]} of a padded batch without a cache. {@code mask} (null:
   * all ones) marks real tokens with 1 and padding with 0; padding may sit left or right. Each real
   * token gets the position it would have without the padding (HF generate's {@code cumsum(mask) -
   * 1}), so every row equals its unpadded sequence. Padding positions get zeros.
   */
  float[][][] forward(int[][] ids, int[][] mask);

  /**
   * HF {@code output_hidden_states} of a padded batch: {@code [layers +
   * 1][batch][position][hidden]}; entry 0 is the embedding sum, entry i the input of block i, the
   * last entry is after the final LayerNorm. Padding positions get zeros.
   */
  float[][][][] hiddenStates(int[][] ids, int[][] mask);
}
