package io.lmserve.tokenizer.sentencepiece;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code tokenizer.json} forms of the three SentencePiece models (Precompiled, Metaspace,
 * Unigram or BPE with byte fallback, ByteFallback + Fuse decoders) give exactly what HF tokenizers
 * gives: ids, tokens, code-point offsets and decoded text of every edge and held-out line.
 */
class HfSentencePieceTest {

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("io.lmserve.tokenizer.sentencepiece.SpmReferenceTest#modelsAndSets")
  void tokenizerJsonEqualsHfTokenizers(String model, String set) {
    Tokenizer tokenizer = Tokenizer.load(ReferenceSets.hfTokenizer(model));
    List<String> mismatches = new ArrayList<>();
    int lines = 0;
    for (ReferenceSets.Expected expected : ReferenceSets.expected(set, model, "hf")) {
      lines++;
      Encoding e = tokenizer.encode(expected.text());
      String what = null;
      if (!Arrays.equals(expected.ids(), e.ids())) {
        what = "ids";
      } else if (!Arrays.equals(expected.tokens(), e.tokens())) {
        what = "tokens";
      } else if (!Arrays.deepEquals(expected.offsets(), e.codePointOffsets(expected.text()))) {
        what = "offsets " + Arrays.deepToString(e.codePointOffsets(expected.text()));
      } else if (expected.decoded() != null
          && !expected.decoded().equals(tokenizer.decode(e.ids(), true))) {
        // the reference decoded with special tokens skipped
        what = "decoded '" + tokenizer.decode(e.ids(), true) + "'";
      }
      if (what != null) {
        mismatches.add(
            "line "
                + expected.line()
                + " "
                + SpmReferenceTest.abbreviate(expected.text())
                + ": "
                + what
                + "\n  expected "
                + Arrays.toString(expected.tokens())
                + " "
                + Arrays.deepToString(expected.offsets())
                + "\n  actual   "
                + Arrays.toString(e.tokens()));
      }
    }
    ReferenceSets.assertNoMismatches(mismatches, lines);
  }
}
