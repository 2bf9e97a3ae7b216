package io.lmserve.generation.fillmask;

import static io.lmserve.generation.InvalidRequestException.require;

import io.lmserve.generation.sampling.LogSoftmax;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The fill-mask pipeline's last stage: from the MLM logits of one input to the ranked candidates of
 * each mask, with HF's rules for scores, targets and the decoded sequences.
 */
final class MaskPredictor {

  private final Tokenizer tokenizer;
  private final int maskId;
  private final OptionalInt padId;

  MaskPredictor(Tokenizer tokenizer, int maskId, OptionalInt padId) {
    this.tokenizer = tokenizer;
    this.maskId = maskId;
    this.padId = padId;
  }

  int maskId() {
    return maskId;
  }

  /**
   * Target strings to candidate ids: a vocabulary token is itself, other text its first token; text
   * with no token is skipped, duplicates are merged. Empty when there are no targets.
   */
  int[] targetIds(List<String> targets) {
    Set<Integer> ids = new LinkedHashSet<>();
    EncodeOptions plain = tokenizer.defaultOptions().withAddSpecialTokens(false);
    for (String target : targets) {
      OptionalInt id = tokenizer.tokenToId(target);
      if (id.isPresent()) {
        ids.add(id.getAsInt());
        continue;
      }
      int[] encoded = tokenizer.encode(target, plain).ids();
      if (encoded.length > 0) {
        ids.add(encoded[0]);
      }
    }
    require(
        targets.isEmpty() || !ids.isEmpty(), "targets", "no target maps to a token: " + targets);
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Positions of the mask token in {@code ids}, in order. */
  int[] maskPositions(int[] ids) {
    int[] positions =
        java.util.stream.IntStream.range(0, ids.length).filter(i -> ids[i] == maskId).toArray();
    require(
        positions.length > 0,
        "inputs",
        "no mask token (" + tokenizer.idToToken(maskId) + ") found in the input");
    return positions;
  }

  /**
   * The candidates of every mask of {@code ids}, one list per mask in input order.
   *
   * @param logits the model's logits for {@code ids}, {@code [position][vocab]}
   * @param targetIds candidate ids, or empty for the whole vocabulary
   */
  List<List<MaskPrediction>> predict(int[] ids, float[][] logits, int topK, int[] targetIds) {
    int[] masks = maskPositions(ids);
    int vocab = logits.length == 0 ? 0 : logits[0].length;
    for (int id : targetIds) {
      // A tokenizer larger than the model's output layer can map a target past the logits.
      require(
          id < vocab,
          "targets",
          "'"
              + tokenizer.idToToken(id)
              + "' is token "
              + id
              + ", outside the model's "
              + vocab
              + " outputs");
    }
    boolean singleMask = masks.length == 1;
    int k = targetIds.length > 0 ? Math.min(topK, targetIds.length) : topK;
    List<List<MaskPrediction>> result = new ArrayList<>(masks.length);
    for (int mask : masks) {
      double[] probs = LogSoftmax.probabilities(logits[mask]);
      int[] candidates =
          targetIds.length > 0
              ? targetIds
              : java.util.stream.IntStream.range(0, probs.length).toArray();
      List<MaskPrediction> row = new ArrayList<>(k);
      for (int id : best(candidates, probs, k)) {
        int[] filled = ids.clone();
        filled[mask] = id;
        row.add(
            new MaskPrediction(
                (float) probs[id],
                id,
                tokenizer.decode(new int[] {id}, false),
                tokenizer.decode(withoutPadding(filled), singleMask)));
      }
      result.add(row);
    }
    return result;
  }

  /** The k candidates of highest probability, highest first, ties by lower id. */
  private static int[] best(int[] candidates, double[] probs, int k) {
    Integer[] sorted = Arrays.stream(candidates).boxed().toArray(Integer[]::new);
    Arrays.sort(
        sorted,
        (a, b) ->
            probs[a] != probs[b] ? Double.compare(probs[b], probs[a]) : Integer.compare(a, b));
    return Arrays.stream(sorted).limit(k).mapToInt(Integer::intValue).toArray();
  }

  private int[] withoutPadding(int[] ids) {
    return padId.isEmpty()
        ? ids
        : Arrays.stream(ids).filter(id -> id != padId.getAsInt()).toArray();
  }
}
