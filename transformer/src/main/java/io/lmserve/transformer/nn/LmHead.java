package io.lmserve.transformer.nn;

import io.lmserve.transformer.safetensors.DType;

/**
 * A language model's output projection and the token embedding it may share memory with (tied
 * weights). An F32 head is packed into column panels in place ({@link PanelMatrix#packInPlace}), so
 * when it is the embedding matrix itself, tokens are then looked up by column.
 */
public record LmHead(EmbeddingTable tokens, Linear head) {

  /** {@code head} ({@code [vocab, hidden]}, possibly the same matrix as {@code embedding}). */
  public static LmHead of(WeightMatrix embedding, WeightMatrix head, float[] bias) {
    if (head.dtype() != DType.F32) {
      return new LmHead(
          EmbeddingTable.ofRows(embedding), new Linear(head, bias, Linear.Layout.OUT_IN));
    }
    PanelMatrix panels = PanelMatrix.packInPlace(head, true);
    EmbeddingTable tokens =
        head == embedding ? EmbeddingTable.ofColumns(panels) : EmbeddingTable.ofRows(embedding);
    return new LmHead(tokens, Linear.over(panels, bias));
  }
}
