package io.lmserve.transformer;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A bidirectional encoder with a masked-language-model head (BERT). Inputs are padded batches:
 * {@code ids[batch][position]}; {@code typeIds} (segment ids; null: zeros) and {@code
 * attentionMask} (1 real, 0 padding; null: all ones) have the same shape.
 */
public non-sealed interface MaskedLm extends LanguageModel {

  /** MLM logits {@code [batch][position][vocab]}. */
  float[][][] mlmLogits(int[][] ids, int[][] typeIds, int[][] attentionMask);

  /** The last layer's output {@code [batch][position][hidden]}. */
  float[][][] hiddenStates(int[][] ids, int[][] typeIds, int[][] attentionMask);

  /**
   * HF {@code output_hidden_states}: {@code [layers + 1][batch][position][hidden]}, entry 0 the
   * embeddings after their LayerNorm, entry i the output of layer i - 1.
   */
  float[][][][] allHiddenStates(int[][] ids, int[][] typeIds, int[][] attentionMask);

  /** The pooler's {@code tanh(dense(h[CLS]))} per row, if the checkpoint has a pooler. */
  Optional<float[][]> pooledOutput(int[][] ids, int[][] typeIds, int[][] attentionMask);

  /** {@code mask_token_id} from config.json, which BERT folders rarely have. */
  default OptionalInt maskTokenId() {
    return config().maskTokenId();
  }
}
