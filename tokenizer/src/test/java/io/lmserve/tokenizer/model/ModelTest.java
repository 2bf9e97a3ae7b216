package io.lmserve.tokenizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {

  static Vocabulary vocab(String... tokens) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String t : tokens) {
      m.put(t, m.size());
    }
    return new Vocabulary(m);
  }

  static List<String> tokenize(Model model, String word) {
    List<String> out = new ArrayList<>();
    model.tokenize(
        word, (id, start, end) -> out.add(model.idToToken(id) + "@" + start + "-" + end));
    return out;
  }

  @Test
  void bpeMergesByRankLeftmostFirst() {
    Bpe bpe =
        new Bpe(
            vocab("a", "b", "c", "ab", "bc", "abc"),
            List.of(new Bpe.Merge("b", "c"), new Bpe.Merge("a", "b"), new Bpe.Merge("a", "bc")),
            Bpe.Options.defaults());
    // "bc" has the lowest rank, so a+bc, not ab+c.
    assertEquals(List.of("abc@0-3"), tokenize(bpe, "abc"));
    assertEquals(List.of("ab@0-2", "ab@2-4"), tokenize(bpe, "abab"));
  }

  @Test
  void bpeClassicSuffixAndPrefix() {
    Bpe bpe =
        new Bpe(
            vocab("l", "o", "w", "w</w>", "lo", "low</w>", "##o", "##w</w>"),
            List.of(new Bpe.Merge("l", "o"), new Bpe.Merge("lo", "w</w>")),
            new Bpe.Options(null, null, "", "</w>", false, false, false));
    assertEquals(List.of("low</w>@0-3"), tokenize(bpe, "low"));
    Bpe prefixed =
        new Bpe(
            vocab("l", "##o", "##w", "l##o", "lo", "##ow"),
            List.of(new Bpe.Merge("##o", "##w")),
            new Bpe.Options(null, null, "##", "", false, false, false));
    assertEquals(List.of("l@0-1", "##ow@1-3"), tokenize(prefixed, "low"));
  }

  @Test
  void bpeUnknownFuseAndByteFallback() {
    Vocabulary v = vocab("<unk>", "a", "<0xC3>", "<0xA9>");
    Bpe unk = new Bpe(v, List.of(), new Bpe.Options(null, "<unk>", "", "", false, false, false));
    assertEquals(List.of("a@0-1", "<unk>@1-2", "<unk>@2-3"), tokenize(unk, "axy"));
    Bpe fused = new Bpe(v, List.of(), new Bpe.Options(null, "<unk>", "", "", true, false, false));
    assertEquals(List.of("a@0-1", "<unk>@1-3"), tokenize(fused, "axy"));
    Bpe bytes = new Bpe(v, List.of(), new Bpe.Options(null, "<unk>", "", "", true, true, false));
    assertEquals(List.of("<0xC3>@0-1", "<0xA9>@0-1", "<unk>@1-2"), tokenize(bytes, "éx"));
    Bpe none = new Bpe(v, List.of(), Bpe.Options.defaults());
    assertEquals(List.of("a@0-1"), tokenize(none, "ax"), "no unk token: dropped, as HF");
  }

  @Test
  void bpeIgnoreMergesTakesWholeWords() {
    Vocabulary v = vocab("a", "b", "ab", "aba");
    Bpe bpe =
        new Bpe(
            v,
            List.of(new Bpe.Merge("a", "b")),
            new Bpe.Options(null, null, "", "", false, false, true));
    assertEquals(List.of("aba@0-3"), tokenize(bpe, "aba"));
    assertEquals(List.of("ab@0-2", "ab@2-4"), tokenize(bpe, "abab"));
  }

  @Test
  void bpeRejectsMergesOutsideTheVocabulary() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Bpe(vocab("a"), List.of(new Bpe.Merge("a", "z")), Bpe.Options.defaults()));
    assertTrue(e.getMessage().contains("a z"), e.getMessage());
  }

  @Test
  void bpeCacheIsBounded() {
    Bpe bpe = new Bpe(vocab("a", "b"), List.of(), Bpe.Options.defaults());
    for (int i = 0; i < Bpe.CACHE_CAPACITY + 500; i++) {
      bpe.tokenize(
          Integer.toBinaryString(i).replace('0', 'a').replace('1', 'b') + "a", (x, y, z) -> {});
    }
    assertEquals(Bpe.CACHE_CAPACITY, bpe.cachedWords());
    bpe.tokenize("a".repeat(Bpe.CACHE_MAX_WORD + 1), (x, y, z) -> {});
    assertEquals(Bpe.CACHE_CAPACITY, bpe.cachedWords());
  }

  @Test
  void wordPieceGreedyLongestMatchAndLimits() {
    WordPiece wp =
        new WordPiece(vocab("[UNK]", "un", "##aff", "##able", "##a", "aff"), "[UNK]", "##", 10);
    assertEquals(List.of("un@0-2", "##aff@2-5", "##able@5-9"), tokenize(wp, "unaffable"));
    assertEquals(List.of("[UNK]@0-4"), tokenize(wp, "unzz"), "a word that cannot be covered");
    assertEquals(List.of("[UNK]@0-11"), tokenize(wp, "unaffableaa"), "longer than 10 characters");
    // The limit counts code points: five astral characters are 10 UTF-16 units but 5 characters.
    WordPiece astral = new WordPiece(vocab("[UNK]", "😀", "##😀"), "[UNK]", "##", 5);
    assertEquals(5, tokenize(astral, "😀".repeat(5)).size());
  }

  @Test
  void wordLevel() {
    WordLevel wl = new WordLevel(vocab("<unk>", "hello"), "<unk>");
    assertEquals(List.of("hello@0-5"), tokenize(wl, "hello"));
    assertEquals(List.of("<unk>@0-3"), tokenize(wl, "bye"));
    WordLevel strict = new WordLevel(vocab("hello"), null);
    assertThrows(IllegalArgumentException.class, () -> tokenize(strict, "bye"));
  }
}
