package io.lmserve.transformer.gpt2;

import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.ModelLoadException;
import io.lmserve.transformer.nn.EmbeddingTable;
import io.lmserve.transformer.nn.LayerNorm;
import io.lmserve.transformer.nn.Linear;
import io.lmserve.transformer.nn.LmHead;
import io.lmserve.transformer.nn.Parameters;
import io.lmserve.transformer.nn.WeightMatrix;
import io.lmserve.transformer.nn.WorkerPool;
import io.lmserve.transformer.safetensors.Checkpoint;

/**
 * GPT-2's parameters under any HF naming: with or without the {@code transformer.} prefix; the
 * causal-mask buffers {@code attn.bias} / {@code attn.masked_bias} of old files are never read;
 * {@code lm_head.weight} is used only when the config unties it from {@code wte}.
 */
record Gpt2Weights(
    EmbeddingTable tokenEmbedding,
    WeightMatrix positionEmbedding,
    Block[] blocks,
    LayerNorm finalNorm,
    Linear lmHead) {

  /** One transformer block: pre-LN attention and MLP, Conv1D weights stored {@code [in, out]}. */
  record Block(LayerNorm ln1, Linear qkv, Linear attnProj, LayerNorm ln2, Linear fc, Linear proj) {}

  /** The same weights with every matrix product in int8 (embedding lookups stay as stored). */
  Gpt2Weights quantizedInt8(WorkerPool pool) {
    Block[] q = new Block[blocks.length];
    for (int i = 0; i < q.length; i++) {
      Block b = blocks[i];
      q[i] =
          new Block(
              b.ln1(),
              b.qkv().quantizedInt8(pool),
              b.attnProj().quantizedInt8(pool),
              b.ln2(),
              b.fc().quantizedInt8(pool),
              b.proj().quantizedInt8(pool));
    }
    return new Gpt2Weights(
        tokenEmbedding, positionEmbedding, q, finalNorm, lmHead.quantizedInt8(pool));
  }

  static Gpt2Weights load(Checkpoint checkpoint, ModelConfig c) throws ModelLoadException {
    Parameters p = new Parameters(checkpoint, "transformer.", "");
    int h = c.hiddenSize();
    double eps = c.layerNormEps();
    WeightMatrix wte = p.matrix("wte.weight", c.vocabSize(), h);
    WeightMatrix wpe = p.matrix("wpe.weight", c.maxPositions(), h);
    Block[] blocks = new Block[c.numLayers()];
    for (int i = 0; i < blocks.length; i++) {
      String b = "h." + i + ".";
      blocks[i] =
          new Block(
              p.layerNorm(b + "ln_1", h, eps),
              p.linear(b + "attn.c_attn", h, 3 * h, Linear.Layout.IN_OUT),
              p.linear(b + "attn.c_proj", h, h, Linear.Layout.IN_OUT),
              p.layerNorm(b + "ln_2", h, eps),
              p.linear(b + "mlp.c_fc", h, c.intermediateSize(), Linear.Layout.IN_OUT),
              p.linear(b + "mlp.c_proj", c.intermediateSize(), h, Linear.Layout.IN_OUT));
    }
    LayerNorm lnF = p.layerNorm("ln_f", h, eps);
    WeightMatrix head =
        c.tieWordEmbeddings()
            ? wte
            : new Parameters(checkpoint, "")
                .optionalMatrix("lm_head.weight", c.vocabSize(), h)
                .orElseThrow(
                    () ->
                        new ModelLoadException(
                            checkpoint.description()
                                + ": missing tensor 'lm_head.weight' (config.json sets"
                                + " tie_word_embeddings=false)"));
    LmHead lmHead = LmHead.of(wte, head, null);
    return new Gpt2Weights(lmHead.tokens(), wpe, blocks, lnF, lmHead.head());
  }
}
