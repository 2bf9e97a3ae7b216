package io.lmserve.transformer;

import io.lmserve.transformer.nn.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the engine needs from an HF {@code config.json}, under one set of names for both model
 * families (GPT-2 says {@code n_embd}, BERT {@code hidden_size}). Defaults are HF's.
 *
 * @param typeVocabSize BERT segment (token type) count; 0 for GPT-2
 * @param scaleAttnByInverseLayerIdx GPT-2 option dividing layer i's scores by i + 1
 */
public record ModelConfig(
    ModelType modelType,
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    double layerNormEps,
    Activation activation,
    boolean tieWordEmbeddings,
    boolean scaleAttnByInverseLayerIdx,
    OptionalInt bosTokenId,
    OptionalInt eosTokenId,
    OptionalInt padTokenId,
    OptionalInt maskTokenId) {

  /** The model families the engine runs. */
  public enum ModelType {
    GPT2("gpt2"),
    BERT("bert");

    private final String hfName;

    ModelType(String hfName) {
      this.hfName = hfName;
    }

    public String hfName() {
      return hfName;
    }
  }

  /** Upper bounds on sizes read from a config: anything larger is a corrupt file, not a model. */
  static final int MAX_VOCAB = 4_000_000;

  static final int MAX_WIDTH = 1 << 16;
  static final int MAX_LAYERS = 1024;
  static final int MAX_POSITIONS = 1 << 20;

  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Reads {@code folder/config.json}. */
  public static ModelConfig read(Path folder) throws IOException {
    Path file = folder.resolve("config.json");
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(folder + ": no config.json (not an HF model folder?)", e);
    } catch (JacksonException e) {
      throw new ModelLoadException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelLoadException(file + ": not a JSON object");
    }
    return parse(root, file.toString());
  }

  /** Builds a config from the JSON object of a config.json; {@code source} names it in errors. */
  public static ModelConfig parse(JsonNode root, String source) throws ModelLoadException {
    Reader r = new Reader(root, source);
    String type = r.string("model_type", null);
    if (type == null) {
      throw new ModelLoadException(source + ": no model_type (supported: gpt2, bert)");
    }
    ModelConfig config =
        switch (type) {
          case "gpt2" -> gpt2(r);
          case "bert" -> bert(r);
          default ->
              throw new ModelLoadException(
                  source + ": unsupported model_type '" + type + "' (supported: gpt2, bert)");
        };
    config.validate(source);
    return config;
  }

  private static ModelConfig gpt2(Reader r) throws ModelLoadException {
    int hidden = r.integer("n_embd", 768);
    OptionalInt inner = r.optionalInt("n_inner");
    return new ModelConfig(
        ModelType.GPT2,
        r.integer("vocab_size", 50257),
        hidden,
        r.integer("n_layer", 12),
        r.integer("n_head", 12),
        inner.orElse(4 * hidden),
        r.integer("n_positions", r.integer("n_ctx", 1024)),
        0,
        r.decimal("layer_norm_epsilon", 1e-5),
        r.activation("activation_function", "gelu_new"),
        r.bool("tie_word_embeddings", true),
        r.bool("scale_attn_by_inverse_layer_idx", false),
        r.optionalInt("bos_token_id"),
        r.optionalInt("eos_token_id"),
        r.optionalInt("pad_token_id"),
        r.optionalInt("mask_token_id"));
  }

  private static ModelConfig bert(Reader r) throws ModelLoadException {
    String positions = r.string("position_embedding_type", "absolute");
    if (!positions.equals("absolute")) {
      throw new ModelLoadException(
          r.source
              + ": unsupported position_embedding_type '"
              + positions
              + "' (supported: absolute)");
    }
    return new ModelConfig(
        ModelType.BERT,
        r.integer("vocab_size", 30522),
        r.integer("hidden_size", 768),
        r.integer("num_hidden_layers", 12),
        r.integer("num_attention_heads", 12),
        r.integer("intermediate_size", 3072),
        r.integer("max_position_embeddings", 512),
        r.integer("type_vocab_size", 2),
        r.decimal("layer_norm_eps", 1e-12),
        r.activation("hidden_act", "gelu"),
        r.bool("tie_word_embeddings", true),
        false,
        r.optionalInt("bos_token_id"),
        r.optionalInt("eos_token_id"),
        r.optionalInt("pad_token_id").isPresent()
            ? r.optionalInt("pad_token_id")
            : OptionalInt.of(0),
        r.optionalInt("mask_token_id"));
  }

  private void validate(String source) throws ModelLoadException {
    check(vocabSize, 1, MAX_VOCAB, "vocab size", source);
    check(hiddenSize, 1, MAX_WIDTH, "hidden size", source);
    check(numLayers, 1, MAX_LAYERS, "layer count", source);
    check(numHeads, 1, hiddenSize, "head count", source);
    check(intermediateSize, 1, 8 * MAX_WIDTH, "intermediate size", source);
    check(maxPositions, 1, MAX_POSITIONS, "position count", source);
    if (modelType == ModelType.BERT) {
      check(typeVocabSize, 1, 1024, "type_vocab_size", source);
    }
    if (hiddenSize % numHeads != 0) {
      throw new ModelLoadException(
          source
              + ": hidden size "
              + hiddenSize
              + " is not a multiple of the head count "
              + numHeads);
    }
    if (!(layerNormEps > 0 && layerNormEps < 1)) {
      throw new ModelLoadException(
          source + ": layer norm epsilon " + layerNormEps + " out of range");
    }
  }

  private static void check(int value, int min, int max, String what, String source)
      throws ModelLoadException {
    if (value < min || value > max) {
      throw new ModelLoadException(
          source + ": " + what + " " + value + " out of range [" + min + ", " + max + "]");
    }
  }

  /** Typed reads of config keys with errors naming the key. */
  private record Reader(JsonNode root, String source) {

    String string(String key, String fallback) throws ModelLoadException {
      JsonNode n = root.get(key);
      if (n == null || n.isNull()) {
        return fallback;
      }
      if (!n.isString()) {
        throw new ModelLoadException(source + ": " + key + " must be a string, not " + n);
      }
      return n.stringValue();
    }

    int integer(String key, int fallback) throws ModelLoadException {
      return optionalInt(key).orElse(fallback);
    }

    OptionalInt optionalInt(String key) throws ModelLoadException {
      JsonNode n = root.get(key);
      if (n == null || n.isNull()) {
        return OptionalInt.empty();
      }
      if (n.isArray() && key.endsWith("_token_id") && n.size() > 0) {
        n = n.get(0); // some configs list several EOS ids; the first is the canonical one
      }
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw new ModelLoadException(source + ": " + key + " must be an integer, not " + n);
      }
      return OptionalInt.of(n.intValue());
    }

    double decimal(String key, double fallback) throws ModelLoadException {
      JsonNode n = root.get(key);
      if (n == null || n.isNull()) {
        return fallback;
      }
      if (!n.isNumber()) {
        throw new ModelLoadException(source + ": " + key + " must be a number, not " + n);
      }
      return n.doubleValue();
    }

    boolean bool(String key, boolean fallback) throws ModelLoadException {
      JsonNode n = root.get(key);
      if (n == null || n.isNull()) {
        return fallback;
      }
      if (!n.isBoolean()) {
        throw new ModelLoadException(source + ": " + key + " must be true or false, not " + n);
      }
      return n.booleanValue();
    }

    Activation activation(String key, String fallback) throws ModelLoadException {
      String name = string(key, fallback);
      return Activation.fromHfName(name)
          .orElseThrow(
              () ->
                  new ModelLoadException(
                      source
                          + ": unsupported "
                          + key
                          + " '"
                          + name
                          + "' (supported: gelu, gelu_new, gelu_pytorch_tanh, gelu_fast,"
                          + " quick_gelu, relu, silu, swish, tanh)"));
    }
  }
}
