package io.lmserve.tokenizer;

/**
 * A token matched in the text before the model runs (HF's {@code added_tokens}).
 *
 * @param singleWord only match when not inside a word
 * @param lstrip swallow whitespace on the left
 * @param rstrip swallow whitespace on the right
 * @param normalized match against the normalized text (else the original)
 * @param special a control token: skipped by {@code decode(…, skipSpecialTokens)}, subject to the
 *     special-token policy
 */
public record AddedToken(
    String content,
    boolean singleWord,
    boolean lstrip,
    boolean rstrip,
    boolean normalized,
    boolean special) {

  public AddedToken {
    if (content == null || content.isEmpty()) {
      throw new IllegalArgumentException("an added token must not be empty");
    }
  }

  /** A special token as HF adds them: not normalized, no stripping. */
  public static AddedToken special(String content) {
    return new AddedToken(content, false, false, false, false, true);
  }

  /** A plain added token: normalized, no stripping. */
  public static AddedToken plain(String content) {
    return new AddedToken(content, false, false, false, true, false);
  }
}
