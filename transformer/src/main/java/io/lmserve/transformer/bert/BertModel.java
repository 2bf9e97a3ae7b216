package io.lmserve.transformer.bert;

import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.ModelLoadException;
import io.lmserve.transformer.Quantization;
import io.lmserve.transformer.nn.Attention;
import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.nn.ModelBase;
import io.lmserve.transformer.nn.WorkerPool;
import io.lmserve.transformer.safetensors.Checkpoint;
import java.util.Optional;

/**
 * BERT ({@code BertForMaskedLM}): embeddings (word + segment + position, then LayerNorm), post-LN
 * encoder layers of bidirectional self-attention (padding masked out) and a GELU feed-forward, the
 * MLM head (dense, GELU, LayerNorm, decoder tied to the word embeddings, bias) and, when the
 * checkpoint has one, the pooler.
 */
public final class BertModel extends ModelBase implements MaskedLm {

  /** Largest output array one call builds, in floats. */
  static final long MAX_OUTPUT_FLOATS = 1L << 28;

  private final BertWeights weights;

  private BertModel(
      ModelConfig config,
      Checkpoint checkpoint,
      BertWeights weights,
      Kernels kernels,
      WorkerPool pool) {
    super(config, checkpoint, kernels, pool);
    this.weights = weights;
  }

  /** Builds the model over {@code checkpoint}, which it owns from now on. */
  public static BertModel create(
      ModelConfig config,
      Checkpoint checkpoint,
      Kernels kernels,
      WorkerPool pool,
      Quantization quantization)
      throws ModelLoadException {
    BertWeights weights =
        quantization.apply(BertWeights.load(checkpoint, config), BertWeights::quantizedInt8, pool);
    return new BertModel(config, checkpoint, weights, kernels, pool);
  }

  @Override
  public float[][][] mlmLogits(int[][] ids, int[][] typeIds, int[][] attentionMask) {
    Batch batch = Batch.of(ids, typeIds, attentionMask, config, vocab);
    float[] x = encode(batch, null);
    int n = batch.rows();
    float[] t = new float[n * hidden];
    weights.transform().forward(x, n, t, kernels, pool);
    pool.parallelFor(t.length, 4096, (from, to) -> kernels.activate(activation, t, from, to));
    weights.transformNorm().apply(t, t, n, pool);
    float[] logits = new float[n * vocab];
    weights.decoder().forward(t, n, logits, kernels, pool);
    return batch.unpack(logits, vocab);
  }

  @Override
  public float[][][] hiddenStates(int[][] ids, int[][] typeIds, int[][] attentionMask) {
    Batch batch = Batch.of(ids, typeIds, attentionMask, config, hidden);
    return batch.unpack(encode(batch, null), hidden);
  }

  @Override
  public float[][][][] allHiddenStates(int[][] ids, int[][] typeIds, int[][] attentionMask) {
    Batch batch =
        Batch.of(ids, typeIds, attentionMask, config, (long) hidden * (config.numLayers() + 1));
    float[][] capture = new float[config.numLayers() + 1][];
    encode(batch, capture);
    float[][][][] out = new float[capture.length][][][];
    for (int l = 0; l < capture.length; l++) {
      out[l] = batch.unpack(capture[l], hidden);
    }
    return out;
  }

  @Override
  public Optional<float[][]> pooledOutput(int[][] ids, int[][] typeIds, int[][] attentionMask) {
    if (weights.pooler().isEmpty()) {
      return Optional.empty();
    }
    Batch batch = Batch.of(ids, typeIds, attentionMask, config, hidden);
    float[] x = encode(batch, null);
    int rows = ids.length;
    float[] first = new float[rows * hidden];
    for (int b = 0; b < rows; b++) {
      System.arraycopy(x, b * batch.width() * hidden, first, b * hidden, hidden);
    }
    float[] pooled = new float[rows * hidden];
    weights.pooler().get().forward(first, rows, pooled, kernels, pool);
    float[][] out = new float[rows][hidden];
    for (int b = 0; b < rows; b++) {
      for (int i = 0; i < hidden; i++) {
        out[b][i] = (float) Math.tanh(pooled[b * hidden + i]);
      }
    }
    return Optional.of(out);
  }

  /**
   * The encoder over a padded batch, row-major {@code [batch * width, hidden]}; with {@code
   * capture}, also every layer's output (HF {@code output_hidden_states}).
   */
  private float[] encode(Batch batch, float[][] capture) {
    int n = batch.rows();
    float[] x = new float[n * hidden];
    float[] tmp = new float[n * hidden];
    for (int r = 0; r < n; r++) {
      int off = r * hidden;
      weights.wordEmbedding().read(batch.ids()[r], x, off, kernels);
      kernels.readRow(weights.typeEmbedding(), batch.types()[r], tmp, off);
      for (int i = 0; i < hidden; i++) {
        x[off + i] += tmp[off + i];
      }
      kernels.readRow(weights.positionEmbedding(), batch.positions()[r], tmp, off);
      for (int i = 0; i < hidden; i++) {
        x[off + i] += tmp[off + i];
      }
    }
    weights.embeddingNorm().apply(x, x, n, pool);
    if (capture != null) {
      capture[0] = x.clone();
    }
    float[] q = new float[n * hidden];
    float[] k = new float[n * hidden];
    float[] v = new float[n * hidden];
    float[] att = new float[n * hidden];
    float[] ff = new float[n * config.intermediateSize()];
    BertWeights.Layer[] layers = weights.layers();
    for (int l = 0; l < layers.length; l++) {
      BertWeights.Layer layer = layers[l];
      layer.query().forward(x, n, q, kernels, pool);
      layer.key().forward(x, n, k, kernels, pool);
      layer.value().forward(x, n, v, kernels, pool);
      selfAttention(batch, q, k, v, att);
      layer.attnOut().forward(att, n, tmp, kernels, pool);
      layer.attnNorm().addThenApply(tmp, x, x, n, pool);
      layer.intermediate().forward(x, n, ff, kernels, pool);
      pool.parallelFor(ff.length, 4096, (from, to) -> kernels.activate(activation, ff, from, to));
      layer.output().forward(ff, n, tmp, kernels, pool);
      layer.outputNorm().addThenApply(tmp, x, x, n, pool);
      if (capture != null) {
        capture[l + 1] = x.clone();
      }
    }
    return x;
  }

  private void selfAttention(Batch batch, float[] q, float[] k, float[] v, float[] att) {
    float scale = (float) (1.0 / Math.sqrt(headDim));
    int width = batch.width();
    if (Attention.blocked(kernels, headDim)) {
      // One task per sequence and head: the two products of a head share its transposed keys.
      pool.parallelFor(
          batch.batch() * heads,
          1,
          (from, to) -> {
            for (int task = from; task < to; task++) {
              int b = task / heads;
              int head = task % heads;
              Attention.attendAll(
                  q,
                  k,
                  v,
                  hidden,
                  b * width,
                  head * headDim,
                  width,
                  batch.keep(),
                  b * width,
                  scale,
                  headDim,
                  att);
            }
          });
      return;
    }
    int tasks = batch.rows() * heads;
    pool.parallelFor(
        tasks,
        Math.max(1, tasks / (4 * pool.parallelism())),
        (from, to) -> {
          for (int task = from; task < to; task++) {
            int r = task / heads;
            int head = task % heads;
            int b = r / width;
            int rowStart = b * width * hidden;
            Attention.attend(
                q,
                r * hidden + head * headDim,
                k,
                v,
                hidden,
                rowStart + head * headDim,
                width,
                batch.keep(),
                b * width,
                scale,
                headDim,
                att,
                r * hidden + head * headDim,
                kernels);
          }
        });
  }
}
