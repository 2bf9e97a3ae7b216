package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnigramTrainerTest {

  @Test
  void digammaMatchesKnownValues() {
    // ψ(1) = -γ, ψ(1/2) = -γ - 2 ln 2, ψ(10) = H(9) - γ
    double gamma = 0.5772156649015329;
    assertEquals(-gamma, UnigramTrainer.digamma(1), 1e-9);
    assertEquals(-gamma - 2 * Math.log(2), UnigramTrainer.digamma(0.5), 1e-9);
    double h9 = 0;
    for (int k = 1; k <= 9; k++) {
      h9 += 1.0 / k;
    }
    assertEquals(h9 - gamma, UnigramTrainer.digamma(10), 1e-9);
  }

  @Test
  void learnsWholeFrequentWordsAndKeepsEveryCharacter() {
    // "▁hug" dominates: it must become a piece; every character must stay one.
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add("hug hug pug hugs");
      lines.add("pun bun hug");
    }
    TrainingOptions options =
        TrainingOptions.builder(TrainerType.UNIGRAM, 20).characterCoverage(1.0).build();
    TrainedTokenizer trained =
        TokenizerTrainer.train(
            TrainingCorpus.ofLines(lines.iterator()), options, TrainingProgress.NONE);
    List<String> vocab = trained.vocabulary();
    assertEquals(List.of("<unk>", "<s>", "</s>"), vocab.subList(0, 3));
    assertTrue(vocab.size() <= 20, vocab.toString());
    assertTrue(vocab.contains("\u2581hug"), vocab.toString());
    for (String c : List.of("\u2581", "h", "u", "g", "p", "s", "b", "n")) {
      assertTrue(vocab.contains(c), c + " missing from " + vocab);
    }
  }

  @Test
  void refusesAVocabularyTooSmallForTheAlphabet() {
    TrainingOptions options =
        TrainingOptions.builder(TrainerType.UNIGRAM, 262).byteFallback(true).build();
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TokenizerTrainer.train(
                    TrainingCorpus.ofLines(List.of("abc def").iterator()),
                    options,
                    TrainingProgress.NONE));
    assertTrue(error.getMessage().contains("too small"), error.getMessage());
  }
}
