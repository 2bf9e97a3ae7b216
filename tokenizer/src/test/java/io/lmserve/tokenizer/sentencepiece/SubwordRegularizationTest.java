package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sampling and n-best lists of a Unigram model (n-best is also checked live against spm). */
class SubwordRegularizationTest {

  @Test
  void samplesAreSegmentationsOfTheSameTextFollowingAlpha() throws IOException {
    SentencePieceProcessor spm = SentencePieceProcessor.load(ReferenceSets.model("unigram8k"));
    String text = "unbelievable things happen";
    String decoded = spm.decode(spm.encodeIds(text));
    Set<List<String>> seen = new HashSet<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 60; i++) {
      EncodedPieces sample = spm.sample(text, 0.1f, random);
      assertEquals(decoded, spm.decode(sample.ids()));
      seen.add(List.of(sample.pieces()));
    }
    assertTrue(seen.size() > 5, "a small alpha spreads over segmentations: " + seen.size());
    // A large alpha concentrates on the best segmentation.
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(spm.encodeIds(text), spm.sample(text, 50f, random).ids());
    }
    // The same seed gives the same sample.
    assertArrayEquals(
        spm.sample(text, 0.2f, new SplittableRandom(9)).ids(),
        spm.sample(text, 0.2f, new SplittableRandom(9)).ids());
  }

  @Test
  void nbestStartsWithTheBestAndNeverRepeats() throws IOException {
    SentencePieceProcessor spm = SentencePieceProcessor.load(ReferenceSets.model("unigram8k"));
    List<EncodedPieces> best = spm.nbest("Hello world", 10);
    assertEquals(10, best.size());
    assertArrayEquals(spm.encodeIds("Hello world"), best.getFirst().ids());
    assertEquals(10, best.stream().map(p -> List.of(p.pieces())).distinct().count());
    assertEquals(1, spm.nbest("", 5).size());
  }

  @Test
  void bpeSamplingIsDropoutAndNbestIsUnigramOnly() throws IOException {
    SentencePieceProcessor bpe = SentencePieceProcessor.load(ReferenceSets.model("bpe8k"));
    assertThrows(UnsupportedOperationException.class, () -> bpe.nbest("a", 2));
    String text = "unbelievable things happen";
    SplittableRandom random = new SplittableRandom(2);
    assertArrayEquals(bpe.encodeIds(text), bpe.sample(text, 0f, random).ids(), "no dropout");
    EncodedPieces chars = bpe.sample(text, 1f, random);
    assertEquals(bpe.normalize(text).codePointCount(0, bpe.normalize(text).length()), chars.size());
    Set<List<String>> seen = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      EncodedPieces sample = bpe.sample(text, 0.3f, random);
      assertEquals(bpe.decode(bpe.encodeIds(text)), bpe.decode(sample.ids()));
      seen.add(List.of(sample.pieces()));
    }
    assertTrue(seen.size() > 5, "dropout varies the segmentation: " + seen.size());
  }
}
