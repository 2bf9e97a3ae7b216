package io.lmserve.generation.fillmask;

import static io.lmserve.generation.InvalidRequestException.require;

import java.util.List;

/**
 * @param topK candidates per mask, most likely first (capped at the number of targets); 1..1000
 * @param targets when not empty, only these tokens are candidates: a word in the vocabulary is that
 *     token, any other text stands for its first token (HF's rule); at most 1000, each at most 100
 *     chars
 */
public record FillMaskParams(int topK, List<String> targets) {

  public static final int MAX_TOP_K = 1000;
  public static final int MAX_TARGETS = 1000;
  public static final int MAX_TARGET_LENGTH = 100;
  public static final FillMaskParams DEFAULT = new FillMaskParams(5, List.of());

  public FillMaskParams {
    require(
        topK >= 1 && topK <= MAX_TOP_K, "top_k", "must be in [1, " + MAX_TOP_K + "], got " + topK);
    require(targets != null, "targets", "must be a list (possibly empty)");
    targets = List.copyOf(targets);
    require(
        targets.size() <= MAX_TARGETS,
        "targets",
        "at most " + MAX_TARGETS + " targets, got " + targets.size());
    for (String target : targets) {
      require(
          !target.isEmpty() && target.length() <= MAX_TARGET_LENGTH,
          "targets",
          "each target must have 1 to " + MAX_TARGET_LENGTH + " chars, got '" + target + "'");
    }
  }

  public static FillMaskParams topK(int topK) {
    return new FillMaskParams(topK, List.of());
  }

  public FillMaskParams withTargets(List<String> value) {
    return new FillMaskParams(topK, value);
  }
}
