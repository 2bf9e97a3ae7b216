package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BpeLearnerTest {

  /**
   * Words hug×10, pug×5, pun×12, bun×4, hugs×5 with {@code </w>}. Pair counts at the start: p u 17,
   * u n</w> 16, h u 15, u g</w> 15, u g 5, g s</w> 5, b u 4.
   *
   * <ol>
   *   <li>p u (17) → pu; then pu n</w> 12, u g</w> 10, pu g</w> 5, u n</w> 4
   *   <li>h u (15) → hu; then hu g</w> 10, hu g 5
   *   <li>pu n</w> (12)
   *   <li>hu g</w> (10)
   *   <li>three pairs at 5: g s</w>, hu g, pu g</w>; the tie rule takes the smallest left symbol, g
   *   <li>hu gs</w> (5) beats pu g</w> (5): hu &lt; pu
   *   <li>pu g</w> (5)
   *   <li>b u (4) beats u n</w> (4): b &lt; u
   *   <li>bu n</w> (4); no pair is left
   * </ol>
   */
  private static final WordCounts WORDS =
      new WordCounts(
          new String[] {"bun", "hug", "hugs", "pug", "pun"}, new long[] {4, 10, 5, 5, 12}, 5);

  @Test
  void learnsTheHandComputedMergesInOrder() {
    LearnedBpe learned =
        BpeLearner.learn(WORDS, options(100, 1, List.of(), "", "</w>", 0), TrainingProgress.NONE);

    assertEquals(
        List.of(
            "p u",
            "h u",
            "pu n</w>",
            "hu g</w>",
            "g s</w>",
            "hu gs</w>",
            "pu g</w>",
            "b u",
            "bu n</w>"),
        learned.merges().stream().map(m -> m.left() + " " + m.right()).toList());
    assertEquals(
        List.of(
            "b",
            "g",
            "h",
            "n",
            "p",
            "s",
            "u",
            "g</w>",
            "n</w>",
            "s</w>",
            "pu",
            "hu",
            "pun</w>",
            "hug</w>",
            "gs</w>",
            "hugs</w>",
            "pug</w>",
            "bu",
            "bun</w>"),
        learned.vocabulary());
  }

  @Test
  void stopsAtTheMinimumFrequencyAndTheVocabularySize() {
    BpeOptions options = options(100, 5, List.of(), "", "</w>", 0);
    assertEquals(7, BpeLearner.learn(WORDS, options, TrainingProgress.NONE).merges().size());

    BpeOptions small = options(13, 1, List.of(), "", "</w>", 0);
    LearnedBpe learned = BpeLearner.learn(WORDS, small, TrainingProgress.NONE);
    assertEquals(13, learned.vocabulary().size());
    assertEquals("pun</w>", learned.vocabulary().get(12));
  }

  @Test
  void specialTokensComeFirstAndContinuationPrefixIsDroppedInsideTokens() {
    BpeOptions options = options(100, 1, List.of("[UNK]", "[CLS]"), "##", "", 0);
    LearnedBpe learned = BpeLearner.learn(WORDS, options, TrainingProgress.NONE);
    assertEquals(List.of("[UNK]", "[CLS]", "b", "g", "h"), learned.vocabulary().subList(0, 5));
    // Without </w>, ##u ##g is seen 20 times (hug, pug, hugs) and goes first; then ##u ##n (pun,
    // bun: 16) and h ##ug (15). The right symbol's ## disappears inside the merged token.
    assertEquals(
        List.of("##u ##g", "##u ##n", "h ##ug"),
        learned.merges().subList(0, 3).stream().map(m -> m.left() + " " + m.right()).toList());
    assertEquals(true, learned.vocabulary().contains("##ug"));
    assertEquals(true, learned.vocabulary().contains("hug"));
  }

  @Test
  void limitAlphabetKeepsTheMostFrequentCharactersAndBlocksMergesThroughOthers() {
    // u 36, n 16, p 17, g 20, h 15, s 5, b 4: with 5 characters, s and b are outside.
    BpeOptions options = options(100, 1, List.of(), "", "", 5);
    LearnedBpe learned = BpeLearner.learn(WORDS, options, TrainingProgress.NONE);
    assertEquals(List.of("g", "h", "n", "p", "u"), learned.vocabulary().subList(0, 5));
    for (String token : learned.vocabulary()) {
      assertEquals(false, token.contains("b") || token.contains("s"), token);
    }
  }

  private static BpeOptions options(
      int vocabSize,
      long minFrequency,
      List<String> specials,
      String prefix,
      String suffix,
      int limitAlphabet) {
    return new BpeOptions(
        vocabSize, minFrequency, specials, "", limitAlphabet, 1.0, prefix, suffix, 0, false);
  }

  @Test
  void refusesAVocabularyThatCannotHoldTheAlphabet() {
    var error =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                BpeLearner.learn(
                    WORDS, options(5, 1, List.of("<unk>"), "", "", 0), TrainingProgress.NONE));
    assertEquals(
        "vocab size 5 is smaller than the 8 special tokens and alphabet symbols it must hold"
            + " (raise it, or limit the alphabet)",
        error.getMessage());
  }
}
