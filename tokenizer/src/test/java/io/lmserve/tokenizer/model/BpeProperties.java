package io.lmserve.tokenizer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The heap-based BPE gives exactly what the textbook algorithm (merge the best pair, repeat) gives.
 */
class BpeProperties {

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

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(40),
        Arbitraries.strings().withChars("aaaab .,'é😀中").ofMaxLength(60),
        Arbitraries.strings().all().ofMaxLength(20));
  }

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

  @Property(tries = 400)
  void sameAsTextbookBpe(@ForAll("text") String text) {
    List<NormalizedString> words = new ArrayList<>();
    GPT2.preTokenizer().preTokenize(NormalizedString.of(text), words);
    for (NormalizedString w : words) {
      List<String> ours = new ArrayList<>();
      BPE.tokenize(w.normalized(), (id, s, e) -> ours.add(BPE.idToToken(id)));
      assertEquals(textbook(w.normalized()), ours, w.normalized());
    }
  }
}
