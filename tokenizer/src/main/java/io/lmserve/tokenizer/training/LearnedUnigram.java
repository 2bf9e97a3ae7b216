package io.lmserve.tokenizer.training;

import java.util.List;

/**
 * A trained Unigram model: pieces by id with their log-probability scores (special and byte pieces
 * score 0, as SentencePiece writes them).
 *
 * @param pieces the pieces, index = id
 * @param scores {@code scores[id]}
 * @param alphabet the required characters (code points, ascending)
 */
public record LearnedUnigram(List<String> pieces, double[] scores, int[] alphabet) {

  public LearnedUnigram {
    pieces = List.copyOf(pieces);
    scores = scores.clone();
    alphabet = alphabet.clone();
    if (pieces.size() != scores.length) {
      throw new IllegalArgumentException("pieces and scores differ in length");
    }
  }
}
