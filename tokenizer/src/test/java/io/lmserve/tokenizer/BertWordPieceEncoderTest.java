package io.lmserve.tokenizer;

import static io.lmserve.testkit.RandomCases.forAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lmserve.testkit.RandomCases;
import io.lmserve.tokenizer.normalizer.BertNormalizer;
import io.lmserve.tokenizer.normalizer.NormalizerSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused BERT pass must give exactly what the general stages give: the same tokenizer with its
 * BertNormalizer wrapped in a one-element sequence (which the fused pass does not recognise) is the
 * reference, for every normalizer flag combination, on the reference texts and random Unicode.
 */
class BertWordPieceEncoderTest {

  static Stream<BertNormalizer> normalizers() {
    List<BertNormalizer> all = new ArrayList<>();
    for (int flags = 0; flags < 16; flags++) {
      Boolean strip = (flags & 4) != 0 ? Boolean.TRUE : (flags & 8) != 0 ? Boolean.FALSE : null;
      if ((flags & 12) == 12) {
        continue;
      }
      all.add(new BertNormalizer((flags & 1) != 0, (flags & 2) != 0, strip, (flags & 8) == 0));
    }
    all.add(new BertNormalizer(true, true, null, true)); // bert-base-uncased's
    all.add(new BertNormalizer(true, true, false, false)); // bert-base-cased's
    return all.stream();
  }

  private static Tokenizer[] fusedAndGeneral(BertNormalizer normalizer) {
    Tokenizer fused = Reference.bert().toBuilder().normalizer(normalizer).build();
    Tokenizer general =
        fused.toBuilder().normalizer(new NormalizerSequence(List.of(normalizer))).build();
    assertNotNull(
        BertWordPieceEncoder.of(
            normalizer, fused.preTokenizer(), fused.model(), fused.addedVocabulary()));
    return new Tokenizer[] {fused, general};
  }

  static void assertSameEncoding(Tokenizer fused, Tokenizer general, String text) {
    for (EncodeOptions o : EncodeIdsTest.OPTIONS) {
      Encoding want = general.encode(text, o);
      Encoding got = fused.encode(text, o);
      String where = o + ": " + RandomCases.describe(text);
      assertArrayEquals(want.ids(), got.ids(), where);
      assertArrayEquals(want.tokens(), got.tokens(), where);
      assertArrayEquals(want.offsets(), got.offsets(), where);
      assertArrayEquals(want.wordIds(), got.wordIds(), where);
      assertArrayEquals(want.ids(), fused.encodeIds(text, o), where);
    }
  }

  @ParameterizedTest
  @MethodSource("normalizers")
  void sameAsTheGeneralStagesOnRandomUnicode(BertNormalizer normalizer) {
    Tokenizer[] t = fusedAndGeneral(normalizer);
    forAll(
        0xBE27_0001L + normalizer.hashCode(),
        150,
        UnicodeTexts.any(),
        text -> assertSameEncoding(t[0], t[1], text));
  }

  @ParameterizedTest
  @MethodSource("normalizers")
  void sameAsTheGeneralStagesOnEveryBmpCharacter(BertNormalizer normalizer) {
    Tokenizer[] t = fusedAndGeneral(normalizer);
    // Every BMP character once, in runs that put it between letters, marks and punctuation.
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < 0x10000; c++) {
      text.append((char) c);
      if (c % 64 == 63) {
        assertSameEncoding(t[0], t[1], "ab" + text + "\u0301x." + text.reverse());
        text.setLength(0);
      }
    }
  }

  @Test
  void notUsedWhenAnAddedTokenIsMatchedInNormalizedText() {
    Tokenizer bert = Reference.bert();
    Tokenizer more =
        bert.withAddedTokens(List.of(new AddedToken("hello", false, false, false, true, false)));
    assertNull(
        BertWordPieceEncoder.of(
            more.normalizer(), more.preTokenizer(), more.model(), more.addedVocabulary()));
  }
}
