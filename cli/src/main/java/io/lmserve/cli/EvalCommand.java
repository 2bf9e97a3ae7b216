package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.Quantization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve eval}: held-out perplexity or masked-token accuracy of a model folder. */
final class EvalCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve eval --model DIR [--data FILE] [--quantize int8]

      Scores a held-out token set with lmserve's engine and prints one JSON line.
        causal-lm  {"kind":"causal-lm","windows":[[ids...],...]}: mean next-token loss (nats) over every
                   token after the first of each window, and its perplexity exp(loss)
        masked-lm  {"kind":"masked-lm","inputs":[[ids...]],"positions":[[t...]],"labels":[[id...]]}:
                   the inputs hold the mask token at the positions; mean loss at the positions and
                   top-1 accuracy (how often the most likely token is the label)
      A "loss" in the file (the trainer's own figure) is echoed as reference_loss with the difference.

        --model DIR   HF model folder (gpt2 for causal-lm, bert for masked-lm)
        --data FILE   the held-out set (default DIR/eval.json, written by models/training)
        --quantize int8   score the int8-quantized weights (what they cost in loss)
      """;

  private static final Options.Spec SPEC =
      new Options.Spec().value("--model").value("--data").value("--quantize");

  EvalCommand() {
    super(USAGE, SPEC);
  }

  @Override
  public String summary() {
    return "held-out perplexity (causal LM) or masked-token top-1 accuracy (masked LM) of a model";
  }

  @Override
  int run(Options options) throws Exception {
    String folder = options.required("--model");
    Path data = Path.of(options.value("--data").orElse(Path.of(folder, "eval.json").toString()));
    Map<String, Object> json = evaluate(folder, read(data), ModelFolders.quantization(options));
    System.out.println(JsonMapper.shared().writeValueAsString(json));
    return 0;
  }

  /** Runs the evaluation the held-out set asks for; the printed fields, in order. */
  static Map<String, Object> evaluate(String folder, JsonNode set, Quantization quantization)
      throws UsageException, IOException {
    String kind = set.path("kind").asString("");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", folder);
    json.put("kind", kind);
    switch (kind) {
      case "causal-lm" -> {
        try (CausalLm model =
            ModelFolders.open(folder, CausalLm.class, "score text", quantization)) {
          int[][] windows = rows(set, "windows", model);
          HeldOutEvaluation result = HeldOutEvaluation.causal(model, windows);
          put(json, result, set);
          json.put("perplexity", result.perplexity());
        }
      }
      case "masked-lm" -> {
        try (MaskedLm model =
            ModelFolders.open(folder, MaskedLm.class, "fill masks", quantization)) {
          int[][] inputs = rows(set, "inputs", model);
          int[][] positions = rows(set, "positions", null);
          int[][] labels = rows(set, "labels", model);
          checkMasked(inputs, positions, labels);
          HeldOutEvaluation result = HeldOutEvaluation.masked(model, inputs, positions, labels);
          put(json, result, set);
          json.put("top1", result.top1());
        }
      }
      default ->
          throw new UsageException(
              "--data: \"kind\" must be causal-lm or masked-lm, got \"" + kind + "\"");
    }
    return json;
  }

  private static void put(Map<String, Object> json, HeldOutEvaluation result, JsonNode set) {
    json.put("predictions", result.predictions());
    json.put("loss", result.loss());
    if (set.path("loss").isNumber()) {
      double reference = set.get("loss").asDouble();
      json.put("reference_loss", reference);
      json.put("loss_diff", result.loss() - reference);
    }
  }

  private static JsonNode read(Path data) throws UsageException {
    if (!Files.isRegularFile(data)) {
      throw new UsageException("--data: " + data + " is not a file");
    }
    try {
      return JsonMapper.shared().readTree(data.toFile());
    } catch (RuntimeException e) {
      throw new UsageException("--data: " + data + " is not JSON: " + e.getMessage());
    }
  }

  /**
   * The array of int arrays under {@code field}; ids are checked against the model's vocabulary and
   * positions when a model is given.
   */
  private static int[][] rows(JsonNode set, String field, LanguageModel model)
      throws UsageException {
    JsonNode array = set.path(field);
    if (!array.isArray() || array.isEmpty()) {
      throw new UsageException("--data: \"" + field + "\" must be a non-empty array of arrays");
    }
    int[][] rows = new int[array.size()][];
    for (int i = 0; i < rows.length; i++) {
      JsonNode row = array.get(i);
      if (!row.isArray()) {
        throw new UsageException("--data: " + field + "[" + i + "] must be an array of ints");
      }
      rows[i] = new int[row.size()];
      for (int j = 0; j < rows[i].length; j++) {
        if (!row.get(j).isInt()) {
          throw new UsageException("--data: " + field + "[" + i + "][" + j + "] is not an int");
        }
        rows[i][j] = row.get(j).intValue();
      }
      if (model != null) {
        check(field, i, rows[i], model.config());
      }
    }
    return rows;
  }

  private static void check(String field, int row, int[] ids, ModelConfig config)
      throws UsageException {
    if (ids.length > config.maxPositions()) {
      throw new UsageException(
          "--data: "
              + field
              + "["
              + row
              + "] has "
              + ids.length
              + " ids; the model takes at most "
              + config.maxPositions());
    }
    for (int id : ids) {
      if (id < 0 || id >= config.vocabSize()) {
        throw new UsageException(
            "--data: " + field + "[" + row + "] holds id " + id + " outside the vocabulary");
      }
    }
  }

  private static void checkMasked(int[][] inputs, int[][] positions, int[][] labels)
      throws UsageException {
    if (positions.length != inputs.length || labels.length != inputs.length) {
      throw new UsageException("--data: inputs, positions and labels must have as many rows");
    }
    for (int i = 0; i < inputs.length; i++) {
      if (labels[i].length != positions[i].length) {
        throw new UsageException(
            "--data: labels[" + i + "] and positions[" + i + "] differ in size");
      }
      for (int t : positions[i]) {
        if (t < 0 || t >= inputs[i].length) {
          throw new UsageException("--data: positions[" + i + "] holds " + t + ", outside the row");
        }
      }
    }
  }
}
