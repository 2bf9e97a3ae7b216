package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.model.Bpe;
import java.util.List;

/**
 * What BPE training learned: the vocabulary in id order and the merges in the order they were
 * learned (a merge's rank is its index).
 *
 * @param vocabulary token strings, index = id
 * @param merges the merges, first learned first
 * @param alphabet the characters of the alphabet (code points), in vocabulary order
 */
public record LearnedBpe(List<String> vocabulary, List<Bpe.Merge> merges, int[] alphabet) {

  public LearnedBpe {
    vocabulary = List.copyOf(vocabulary);
    merges = List.copyOf(merges);
    alphabet = alphabet.clone();
  }
}
