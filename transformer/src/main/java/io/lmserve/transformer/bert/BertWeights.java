package io.lmserve.transformer.bert;

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
import java.util.Optional;

/**
 * BERT's parameters under any HF naming: with or without the {@code bert.} prefix, legacy LayerNorm
 * {@code gamma} / {@code beta}, the MLM bias as {@code cls.predictions.bias} or {@code
 * cls.predictions.decoder.bias}, the decoder tied to the word embeddings unless the config unties
 * it. Buffers ({@code position_ids}) and the NSP head are never read.
 */
record BertWeights(
    EmbeddingTable wordEmbedding,
    WeightMatrix positionEmbedding,
    WeightMatrix typeEmbedding,
    LayerNorm embeddingNorm,
    Layer[] layers,
    Linear transform,
    LayerNorm transformNorm,
    Linear decoder,
    Optional<Linear> pooler) {

  /** One post-LN encoder layer; nn.Linear weights stored {@code [out, in]}. */
  record Layer(
      Linear query,
      Linear key,
      Linear value,
      Linear attnOut,
      LayerNorm attnNorm,
      Linear intermediate,
      Linear output,
      LayerNorm outputNorm) {}

  /** The same weights with every matrix product in int8 (embedding lookups stay as stored). */
  BertWeights quantizedInt8(WorkerPool pool) {
    Layer[] q = new Layer[layers.length];
    for (int i = 0; i < q.length; i++) {
      Layer l = layers[i];
      q[i] =
          new Layer(
              l.query().quantizedInt8(pool),
              l.key().quantizedInt8(pool),
              l.value().quantizedInt8(pool),
              l.attnOut().quantizedInt8(pool),
              l.attnNorm(),
              l.intermediate().quantizedInt8(pool),
              l.output().quantizedInt8(pool),
              l.outputNorm());
    }
    return new BertWeights(
        wordEmbedding,
        positionEmbedding,
        typeEmbedding,
        embeddingNorm,
        q,
        transform.quantizedInt8(pool),
        transformNorm,
        decoder.quantizedInt8(pool),
        pooler.map(p -> p.quantizedInt8(pool)));
  }

  static BertWeights load(Checkpoint checkpoint, ModelConfig c) throws ModelLoadException {
    Parameters p = new Parameters(checkpoint, "bert.", "");
    Parameters head = new Parameters(checkpoint, "");
    int h = c.hiddenSize();
    double eps = c.layerNormEps();
    Linear.Layout layout = Linear.Layout.OUT_IN;
    WeightMatrix words = p.matrix("embeddings.word_embeddings.weight", c.vocabSize(), h);
    WeightMatrix positions = p.matrix("embeddings.position_embeddings.weight", c.maxPositions(), h);
    WeightMatrix types = p.matrix("embeddings.token_type_embeddings.weight", c.typeVocabSize(), h);
    LayerNorm embNorm = p.layerNorm("embeddings.LayerNorm", h, eps);
    Layer[] layers = new Layer[c.numLayers()];
    for (int i = 0; i < layers.length; i++) {
      String b = "encoder.layer." + i + ".";
      layers[i] =
          new Layer(
              p.linear(b + "attention.self.query", h, h, layout),
              p.linear(b + "attention.self.key", h, h, layout),
              p.linear(b + "attention.self.value", h, h, layout),
              p.linear(b + "attention.output.dense", h, h, layout),
              p.layerNorm(b + "attention.output.LayerNorm", h, eps),
              p.linear(b + "intermediate.dense", h, c.intermediateSize(), layout),
              p.linear(b + "output.dense", c.intermediateSize(), h, layout),
              p.layerNorm(b + "output.LayerNorm", h, eps));
    }
    Linear transform = head.linear("cls.predictions.transform.dense", h, h, layout);
    LayerNorm transformNorm = head.layerNorm("cls.predictions.transform.LayerNorm", h, eps);
    String biasName =
        head.find("cls.predictions.bias").isPresent()
            ? "cls.predictions.bias"
            : "cls.predictions.decoder.bias";
    float[] bias = head.vector(biasName, c.vocabSize());
    WeightMatrix decoderWeight =
        c.tieWordEmbeddings()
            ? words
            : head.matrix("cls.predictions.decoder.weight", c.vocabSize(), h);
    Optional<Linear> pooler =
        p.find("pooler.dense.weight").isPresent()
            ? Optional.of(p.linear("pooler.dense", h, h, layout))
            : Optional.empty();
    LmHead decoder = LmHead.of(words, decoderWeight, bias);
    return new BertWeights(
        decoder.tokens(),
        positions,
        types,
        embNorm,
        layers,
        transform,
        transformNorm,
        decoder.head(),
        pooler);
  }
}
