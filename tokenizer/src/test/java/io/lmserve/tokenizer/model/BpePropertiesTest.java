package io.lmserve.tokenizer.model;

import static io.lmserve.testkit.RandomCases.anyOf;
import static io.lmserve.testkit.RandomCases.charsOf;
import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The heap-based BPE gives exactly what the textbook algorithm (merge the best pair, repeat) gives.
 */
class BpePropertiesTest {

  static final Tokenizer GPT2 =
      Tokenizer.load(SharedData.path("fixtures/tokenizers/hf/gpt2/tokenizer.json"));
  static final Bpe BPE = (Bpe) GPT2.model();
  static final Map<String, Integer> RANKS = new HashMap<>();

  static {
    for (int i = 0; i < BPE.merges().size(); i++) {
      Bpe.Merge m = BPE.merges().get(i);
      RANKS.putIfAbsent(m.left() + " " + m.right(), i);
    }
  }

  // Any UTF-16 unit, so "😀" below also yields its surrogates alone.
  static final Gen<String> TEXT =
      anyOf(
          joined(codePoints('a', 'z'), 0, 40),
          joined(charsOf("aaaab .,'é😀中"), 0, 60),
          joined(codePoints(0, 0xFFFF), 0, 20));

  static List<String> textbook(String word) {
    List<String> symbols = new ArrayList<>();
    word.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
    while (true) {
      int best = -1;
      int bestRank = Integer.MAX_VALUE;
      for (int i = 0; i + 1 < symbols.size(); i++) {
        Integer r = RANKS.get(symbols.get(i) + " " + symbols.get(i + 1));
        if (r != null && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) {
        return symbols;
      }
      symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
    }
  }

  @Test
  void sameAsTextbookBpe() {
    forAll(0xB9E_0001L, 400, TEXT, BpePropertiesTest::sameAsTextbookBpe);
  }

  static void sameAsTextbookBpe(String text) {
    List<NormalizedString> words = new ArrayList<>();
    GPT2.preTokenizer().preTokenize(NormalizedString.of(text), words);
    for (NormalizedString w : words) {
      List<String> ours = new ArrayList<>();
      BPE.tokenize(w.normalized(), (id, s, e) -> ours.add(BPE.idToToken(id)));
      assertEquals(textbook(w.normalized()), ours, w.normalized());
    }
  }
}
