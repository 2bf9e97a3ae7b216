package io.lmserve.tokenizer.sentencepiece;

import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.frequency;
import static io.lmserve.testkit.RandomCases.joined;
import static io.lmserve.testkit.RandomCases.lists;
import static io.lmserve.testkit.RandomCases.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.testkit.RandomCases.Weighted;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Properties over random Unicode (all planes, combining marks, joiners, controls, lone surrogates):
 * encoding never fails, offsets stay inside the text and never go back, and decoding gives back the
 * text as SentencePiece normalized it.
 */
class SpmPropertiesTest {

  private static final List<String> MODELS = ReferenceSets.MODELS;
  private static final Map<String, SentencePieceProcessor> PROCESSORS = new ConcurrentHashMap<>();
  private static final Map<String, Tokenizer> HF = new ConcurrentHashMap<>();

  private static SentencePieceProcessor processor(String name) {
    return PROCESSORS.computeIfAbsent(
        name,
        n -> {
          try {
            return SentencePieceProcessor.load(ReferenceSets.model(n));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private record Case(String model, String text) {}

  private static final Gen<String> TEXTS =
      lists(
              frequency(
                  // any code point, lone surrogates (U+D800..U+DFFF as one char) included
                  new Weighted<>(3, codePoints(0, Character.MAX_CODE_POINT)),
                  new Weighted<>(
                      3,
                      oneOf(
                          " ",
                          "  ",
                          "\t",
                          "\n",
                          "\r",
                          "\u3000",
                          "\u00A0",
                          "\u200D",
                          "\u200B",
                          "\uFEFF",
                          "\u0301",
                          "e\u0301",
                          "ﬁ",
                          "①",
                          "▁",
                          "<s>",
                          "<0x41>",
                          "👨\u200D👩\u200D👧",
                          "\uD83D",
                          "\uDE00",
                          "\u1100\u1161",
                          "क\u094D\u0937",
                          "12",
                          "a",
                          "Hello")),
                  new Weighted<>(2, joined(codePoints(' ', '\u024F'), 0, 6))),
              0,
              25)
          .map(parts -> String.join("", parts));

  private static final Gen<Case> CASES =
      random -> new Case(oneOf(MODELS.toArray(String[]::new)).next(random), TEXTS.next(random));

  @Test
  void decodeOfEncodeIsTheNormalizedText() {
    forAll(0x5B01L, 400, CASES, c -> decodeOfEncodeIsTheNormalizedText(c.model(), c.text()));
  }

  @Test
  void tokenizerJsonFormsNeverFailAndKeepOffsetsInside() {
    forAll(0x5B02L, 300, CASES, c -> tokenizerJsonKeepsOffsetsInside(c.model(), c.text()));
  }

  @Test
  void theDotModelTokenizerDecodesAsTheProcessor() {
    forAll(0x5B03L, 200, CASES, c -> dotModelDecodesAsTheProcessor(c.model(), c.text()));
  }

  private static void decodeOfEncodeIsTheNormalizedText(String model, String text) {
    SentencePieceProcessor spm = processor(model);
    EncodedPieces encoded = spm.encode(text);
    SpmReferenceTest.assertOffsetsInsideAndMonotonic(text, encoded);
    assertEquals(asDecodedText(spm, spm.normalize(text)), spm.decode(encoded.ids()));
  }

  /** What decoding gives for normalized text: spaces for ▁, minus the dummy-prefix space. */
  private static String asDecodedText(SentencePieceProcessor spm, String normalized) {
    String text = normalized.replace('▁', ' ');
    boolean dummy = spm.model().normalizerSpec().addDummyPrefix();
    return dummy && text.startsWith(" ") ? text.substring(1) : text;
  }

  private static void tokenizerJsonKeepsOffsetsInside(String model, String text) {
    Tokenizer tokenizer =
        HF.computeIfAbsent(model, n -> Tokenizer.load(ReferenceSets.hfTokenizer(n)));
    Encoding e = tokenizer.encode(text);
    int previous = 0;
    for (int[] offset : e.offsets()) {
      assertTrue(
          0 <= offset[0] && offset[0] <= offset[1] && offset[1] <= text.length(),
          "offsets " + offset[0] + "," + offset[1] + " of " + text.length());
      assertTrue(offset[0] >= previous, "offsets go back");
      previous = offset[0];
    }
    tokenizer.decode(e.ids(), false);
  }

  private static void dotModelDecodesAsTheProcessor(String model, String text) {
    SentencePieceProcessor spm = processor(model);
    Tokenizer tokenizer = spm.tokenizerBuilder().build();
    Encoding e = tokenizer.encode(text);
    assertEquals(List.of(spm.encode(text).pieces()), List.of(e.tokens()));
    assertEquals(spm.decode(e.ids()), SpmTokenizerTest.streamed(tokenizer, e.ids()));
  }
}
