package io.lmserve.generation.fillmask;

import static io.lmserve.generation.InvalidRequestException.require;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.MaskedLm;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * HF's fill-mask pipeline on a BERT-family model: every mask token of the input gets its most
 * likely replacements. Immutable and thread-safe.
 */
public final class FillMask {

  /** Longest input text accepted, checked before tokenizing. */
  public static final int MAX_INPUT_CHARS = 100_000;

  private final Tokenizer tokenizer;
  private final MaskedLm model;
  private final MaskPredictor predictor;

  /**
   * @throws IllegalArgumentException when neither the model config nor the tokenizer knows a mask
   *     token ({@code [MASK]} or {@code <mask>})
   */
  public FillMask(Tokenizer tokenizer, MaskedLm model) {
    this.tokenizer = tokenizer;
    this.model = model;
    this.predictor =
        new MaskPredictor(tokenizer, maskId(tokenizer, model), model.config().padTokenId());
  }

  private static int maskId(Tokenizer tokenizer, MaskedLm model) {
    OptionalInt id = model.maskTokenId();
    for (String token : List.of("[MASK]", "<mask>")) {
      if (id.isEmpty()) {
        id = tokenizer.tokenToId(token);
      }
    }
    return id.orElseThrow(
        () -> new IllegalArgumentException("neither the model nor the tokenizer has a mask token"));
  }

  /** The mask token as it is written in input text, e.g. {@code [MASK]}. */
  public String maskToken() {
    return tokenizer.idToToken(predictor.maskId());
  }

  /**
   * Candidates for each mask in {@code text}, one list per mask in order (HF returns the single
   * list alone when there is one mask).
   *
   * @throws io.lmserve.generation.InvalidRequestException naming the field for an input without a
   *     mask, longer than the model's positions, or bad parameters
   */
  public List<List<MaskPrediction>> fill(String text, FillMaskParams params) {
    require(text != null, "inputs", "must be given");
    require(
        text.length() <= MAX_INPUT_CHARS,
        "inputs",
        "must be at most " + MAX_INPUT_CHARS + " chars, got " + text.length());
    Encoding encoding = tokenizer.encode(text);
    return fill(encoding.ids(), encoding.typeIds(), params);
  }

  /**
   * Like {@link #fill(String, FillMaskParams)} for ids already encoded (special tokens included).
   */
  public List<List<MaskPrediction>> fill(int[] ids, int[] typeIds, FillMaskParams params) {
    int max = model.config().maxPositions();
    require(
        ids.length <= max,
        "inputs",
        ids.length + " tokens exceed the model's " + max + " positions");
    for (int id : ids) {
      require(
          id >= 0 && id < model.config().vocabSize(),
          "inputs",
          "token id "
              + id
              + " is outside the model's vocabulary of "
              + model.config().vocabSize()
              + " (tokenizer and model do not match)");
    }
    predictor.maskPositions(ids);
    int[] targets = predictor.targetIds(params.targets());
    for (int target : targets) {
      require(
          target < model.config().vocabSize(),
          "targets",
          "target token "
              + target
              + " ('"
              + tokenizer.idToToken(target)
              + "') is outside the model's vocabulary of "
              + model.config().vocabSize());
    }
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    float[][] logits =
        model.mlmLogits(new int[][] {ids}, new int[][] {typeIds}, new int[][] {mask})[0];
    return predictor.predict(ids, logits, params.topK(), targets);
  }
}
