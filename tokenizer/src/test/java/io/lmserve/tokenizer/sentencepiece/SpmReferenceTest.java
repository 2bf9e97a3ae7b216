package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code .model} file gives exactly what {@code spm_encode} gives: every line of the shared edge
 * and held-out sets, ids and pieces, for the three reference models. Offsets follow HF's
 * convention, so here they are checked to lie inside the text and never go backwards.
 */
class SpmReferenceTest {

  static Stream<Arguments> modelsAndSets() {
    List<Arguments> out = new ArrayList<>();
    for (String model : ReferenceSets.MODELS) {
      for (String set : ReferenceSets.SETS) {
        out.add(Arguments.of(model, set));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("modelsAndSets")
  void idsAndPiecesEqualSpmEncode(String model, String set) throws IOException {
    SentencePieceProcessor spm = SentencePieceProcessor.load(ReferenceSets.model(model));
    List<String> mismatches = new ArrayList<>();
    int lines = 0;
    for (ReferenceSets.Expected expected : ReferenceSets.expected(set, model, "spm")) {
      lines++;
      EncodedPieces actual = spm.encode(expected.text());
      if (!Arrays.equals(expected.ids(), actual.ids())
          || !Arrays.equals(expected.tokens(), actual.pieces())) {
        mismatches.add(
            "line "
                + expected.line()
                + " "
                + abbreviate(expected.text())
                + "\n  expected "
                + Arrays.toString(expected.tokens())
                + "\n  actual   "
                + Arrays.toString(actual.pieces()));
      }
      assertOffsetsInsideAndMonotonic(expected.text(), actual);
    }
    ReferenceSets.assertNoMismatches(mismatches, lines);
  }

  static void assertOffsetsInsideAndMonotonic(String text, EncodedPieces encoded) {
    int previousStart = 0;
    for (int i = 0; i < encoded.size(); i++) {
      int start = encoded.starts()[i];
      int end = encoded.ends()[i];
      assertTrue(
          0 <= start && start <= end && end <= text.length() && start >= previousStart,
          "offsets of piece " + i + " [" + start + "," + end + ") in " + abbreviate(text));
      previousStart = start;
    }
  }

  static String abbreviate(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
    return "\"" + shown.replace("\n", "\\n") + "\"";
  }
}
