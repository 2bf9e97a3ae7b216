package io.lmserve.generation.scoring;

import static io.lmserve.generation.InvalidRequestException.require;

import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.CausalLm;
import io.lmserve.transformer.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-token log-probabilities and perplexity of a text under a causal model, in one forward pass.
 * Immutable and thread-safe.
 */
public final class Scorer {

  /** Longest text accepted, checked before tokenizing. */
  public static final int MAX_INPUT_CHARS = 1 << 20;

  private final Tokenizer tokenizer;
  private final CausalLm model;

  public Scorer(Tokenizer tokenizer, CausalLm model) {
    this.tokenizer = tokenizer;
    this.model = model;
  }

  /**
   * Scores {@code text}. With {@code prependBos} the model's BOS token comes first so the text's
   * first token gets a log-probability too (the BOS itself is then position 0).
   */
  public TokenScores score(String text, boolean prependBos) {
    require(text != null, "text", "must be given");
    require(
        text.length() <= MAX_INPUT_CHARS,
        "text",
        "must be at most " + MAX_INPUT_CHARS + " chars, got " + text.length());
    int[] ids =
        tokenizer.encode(text, tokenizer.defaultOptions().withAddSpecialTokens(false)).ids();
    if (prependBos) {
      int bos =
          model
              .config()
              .bosTokenId()
              .orElseThrow(() -> new IllegalArgumentException("the model has no BOS token"));
      int[] withBos = new int[ids.length + 1];
      withBos[0] = bos;
      System.arraycopy(ids, 0, withBos, 1, ids.length);
      ids = withBos;
    }
    return score(ids);
  }

  /** Scores token ids (at least two, at most the model's positions). */
  public TokenScores score(int[] ids) {
    int max = model.config().maxPositions();
    require(ids.length >= 2, "text", "scoring needs at least two tokens, got " + ids.length);
    require(
        ids.length <= max, "text", ids.length + " tokens exceed the model's " + max + " positions");
    List<String> tokens = new ArrayList<>(ids.length);
    for (int id : ids) {
      require(
          id >= 0 && id < model.config().vocabSize(),
          "text",
          "token id " + id + " is outside the vocabulary");
      tokens.add(tokenizer.idToToken(id));
    }
    try (Session session = model.newSession(ids.length)) {
      return TokenScores.of(ids, tokens, session.prefillAllLogits(ids));
    }
  }
}
