package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.fillmask.FillMask;
import io.lmserve.generation.fillmask.FillMaskParams;
import io.lmserve.generation.fillmask.MaskPrediction;
import io.lmserve.transformer.MaskedLm;
import io.lmserve.transformer.ModelConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import tools.jackson.databind.json.JsonMapper;

/** {@code lmserve fill-mask}: the most likely tokens at each masked position of a BERT input. */
final class FillMaskCommand extends OptionsCommand {

  static final String USAGE =
      """
      Usage: lmserve fill-mask --model DIR TEXT [--top-k K] [--targets a,b,c]
             lmserve fill-mask --model DIR --ids 101,7,103,9,102 [--top-k K] [--mask-id N] [--type-ids 0,0,0,1,1]

      With TEXT (or --text TEXT), tokenizes it with the folder's tokenizer and prints one JSON line shaped
      like HF's fill-mask pipeline: for a single mask token a list of {"score","token","token_str",
      "sequence"}, for several masks one such list per mask.

      Runs the masked language model in DIR (an HF folder: config.json + model.safetensors) over the ids and
      prints one JSON line {"predictions":[[{"id":...,"score":...},...],...]}: for every position holding the
      mask id, in order, the K most likely ids with their softmax probabilities.

        --model DIR      HF model folder (model_type bert)
        --quantize int8  hold the weights as int8 (blocks of 32 with a scale)
        --text TEXT      the input text with one or more mask tokens, e.g. "Paris is the [MASK] of France."
        --targets LIST   comma-separated words: only these are candidates (text input only)
        --ids LIST       comma-separated input ids, special tokens included
        --top-k K        predictions per mask (default 5)
        --mask-id N      the mask token id; required when config.json has no mask_token_id
                         (bert-base-uncased's [MASK] is 103)
        --type-ids LIST  segment ids, one per input id (default all 0)
      """;

  private static final Options.Spec SPEC =
      new Options.Spec()
          .value("--model")
          .value("--quantize")
          .positional("--text")
          .value("--targets")
          .value("--ids")
          .value("--top-k")
          .value("--mask-id")
          .value("--type-ids");

  @Override
  public String summary() {
    return "fill in [MASK] in a text or ids with a BERT model folder (prints JSON)";
  }

  FillMaskCommand() {
    super(USAGE, SPEC);
  }

  @Override
  int run(Options options) throws Exception {
    String folder = options.required("--model");
    if (options.value("--text").isPresent() == options.value("--ids").isPresent()) {
      throw new UsageException("give either a text (--text TEXT) or --ids");
    }
    if (options.value("--text").isPresent()) {
      return fillText(options, folder);
    }
    int[] ids = options.intList("--ids", 0, Integer.MAX_VALUE, 1 << 16);
    int topK = options.integer("--top-k", 1, Integer.MAX_VALUE).orElse(5);
    int[] types =
        options.value("--type-ids").isPresent()
            ? options.intList("--type-ids", 0, Integer.MAX_VALUE, 1 << 16)
            : null;
    if (types != null && types.length != ids.length) {
      throw new UsageException(
          "--type-ids has " + types.length + " entries but --ids has " + ids.length);
    }
    try (MaskedLm model =
        ModelFolders.open(
            folder, MaskedLm.class, "fill masks", ModelFolders.quantization(options))) {
      ModelConfig config = model.config();
      int maskId = maskId(options, model);
      checkRange("--ids", ids, config.vocabSize());
      if (types != null) {
        checkRange("--type-ids", types, config.typeVocabSize());
      }
      if (ids.length > config.maxPositions()) {
        throw new UsageException(
            "--ids has " + ids.length + " ids; the model takes at most " + config.maxPositions());
      }
      List<Integer> maskPositions = new ArrayList<>();
      for (int t = 0; t < ids.length; t++) {
        if (ids[t] == maskId) {
          maskPositions.add(t);
        }
      }
      if (maskPositions.isEmpty()) {
        throw new UsageException("--ids: no position holds the mask id " + maskId);
      }
      float[][] logits =
          model.mlmLogits(new int[][] {ids}, types == null ? null : new int[][] {types}, null)[0];
      List<List<Map<String, Object>>> predictions = new ArrayList<>();
      for (int t : maskPositions) {
        predictions.add(top(logits[t], Math.min(topK, config.vocabSize())));
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("predictions", predictions);
      System.out.println(JsonMapper.shared().writeValueAsString(json));
    }
    return 0;
  }

  private static int fillText(Options options, String folder) throws Exception {
    for (String idsOnly : List.of("--mask-id", "--type-ids")) {
      if (options.value(idsOnly).isPresent()) {
        throw new UsageException(idsOnly + " is for --ids input only");
      }
    }
    try (MaskedLm model =
        ModelFolders.open(
            folder, MaskedLm.class, "fill masks", ModelFolders.quantization(options))) {
      List<List<MaskPrediction>> result;
      try {
        FillMaskParams params =
            new FillMaskParams(
                options.integer("--top-k", 1, FillMaskParams.MAX_TOP_K).orElse(5),
                options.value("--targets").map(t -> List.of(t.split(","))).orElse(List.of()));
        result =
            new FillMask(ModelFolders.tokenizer(folder), model)
                .fill(options.required("--text"), params);
      } catch (InvalidRequestException e) {
        throw new UsageException(e.getMessage());
      }
      List<List<Map<String, Object>>> json = new ArrayList<>();
      for (List<MaskPrediction> row : result) {
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (MaskPrediction p : row) {
          Map<String, Object> candidate = new LinkedHashMap<>();
          candidate.put("score", p.score());
          candidate.put("token", p.token());
          candidate.put("token_str", p.tokenStr());
          candidate.put("sequence", p.sequence());
          candidates.add(candidate);
        }
        json.add(candidates);
      }
      Object shaped = json.size() == 1 ? json.get(0) : json;
      new PrintStream(System.out, true, StandardCharsets.UTF_8)
          .println(JsonMapper.shared().writeValueAsString(shaped));
    }
    return 0;
  }

  private static int maskId(Options options, MaskedLm model) throws UsageException {
    int vocab = model.config().vocabSize();
    var given = options.integer("--mask-id", 0, vocab - 1);
    if (given.isPresent()) {
      return given.get();
    }
    if (model.maskTokenId().isPresent()) {
      return model.maskTokenId().getAsInt();
    }
    throw new UsageException(
        "the model's config.json has no mask_token_id: pass --mask-id N (see --help)");
  }

  private static void checkRange(String option, int[] values, int limit) throws UsageException {
    for (int v : values) {
      if (v >= limit) {
        throw new UsageException(option + ": " + v + " out of range [0, " + limit + ")");
      }
    }
  }

  /** The k largest softmax probabilities, best first; ties go to the lower id. */
  static List<Map<String, Object>> top(float[] logits, int k) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    PriorityQueue<Integer> worstFirst =
        new PriorityQueue<>(
            (a, b) -> logits[a] != logits[b] ? Float.compare(logits[a], logits[b]) : b - a);
    for (int id = 0; id < logits.length; id++) {
      worstFirst.add(id);
      if (worstFirst.size() > k) {
        worstFirst.poll();
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    while (!worstFirst.isEmpty()) {
      int id = worstFirst.poll();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("id", id);
      p.put("score", Math.exp(logits[id] - max) / sum);
      out.add(0, p);
    }
    return out;
  }
}
