package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Provide
  Arbitrary<String> models() {
    return Arbitraries.of(MODELS);
  }

  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> anyCodePoint =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .map(Character::toString); // includes lone surrogates (U+D800..U+DFFF as one char)
    Arbitrary<String> nasty =
        Arbitraries.of(
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
            "Hello");
    Arbitrary<String> common = Arbitraries.strings().withCharRange(' ', '\u024F').ofMaxLength(6);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, anyCodePoint),
            net.jqwik.api.Tuple.of(3, nasty),
            net.jqwik.api.Tuple.of(2, common))
        .list()
        .ofMaxSize(25)
        .map(parts -> String.join("", parts));
  }

  @Property(tries = 400)
  void decodeOfEncodeIsTheNormalizedText(
      @ForAll("models") String model, @ForAll("texts") String text) {
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

  @Property(tries = 300)
  void tokenizerJsonFormsNeverFailAndKeepOffsetsInside(
      @ForAll("models") String model, @ForAll("texts") String text) {
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

  @Property(tries = 200)
  void theDotModelTokenizerDecodesAsTheProcessor(
      @ForAll("models") String model, @From("texts") @ForAll String text) {
    SentencePieceProcessor spm = processor(model);
    Tokenizer tokenizer = spm.tokenizerBuilder().build();
    Encoding e = tokenizer.encode(text);
    assertEquals(List.of(spm.encode(text).pieces()), List.of(e.tokens()));
    assertEquals(spm.decode(e.ids()), SpmTokenizerTest.streamed(tokenizer, e.ids()));
  }
}
