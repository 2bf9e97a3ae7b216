package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Expected strings are what {@code spm_normalize --use_internal_normalization} prints. */
class SpmNormalizerTest {

  private static SentencePieceProcessor load(String model) throws IOException {
    return SentencePieceProcessor.load(ReferenceSets.model(model));
  }

  @Test
  void nfkcModelsFoldCompatibilityFormsAndCollapseWhitespace() throws IOException {
    SentencePieceProcessor unigram = load("unigram8k");
    assertEquals("▁Hello▁world", unigram.normalize("  Hello   world "));
    assertEquals("▁fi▁Hello▁1", unigram.normalize("ﬁ Ｈｅｌｌｏ ①"));
    assertEquals("▁é", unigram.normalize(" e\u0301 "), "recomposed by the charsmap");
    assertEquals("", unigram.normalize("   "));
    assertEquals("", unigram.normalize(""));
  }

  @Test
  void identityModelsKeepEveryWhitespace() throws IOException {
    assertEquals("▁▁▁Hello▁▁▁world▁", load("bpe8k_llama").normalize("  Hello   world "));
    assertEquals("▁ﬁ", load("bpe8k_llama").normalize("ﬁ"));
  }

  @Test
  void spansPointIntoTheOriginalText() throws IOException {
    SentencePieceProcessor unigram = load("unigram8k");
    // "▁Hello▁world" from "  Hello   world ": the prefix ▁ stands for 'H', the inner ▁ for the
    // first of the three spaces, the others are dropped.
    EncodedPieces e = unigram.encode("  Hello   world ");
    assertArrayEquals(new String[] {"▁", "Hello", "▁world"}, e.pieces());
    assertArrayEquals(new int[] {2, 2, 7}, e.starts());
    assertArrayEquals(new int[] {3, 7, 15}, e.ends());
    // A ligature expands to two letters that both span it.
    EncodedPieces fi = unigram.encode("ﬁ");
    for (int i = 0; i < fi.size(); i++) {
      assertEquals(0, fi.starts()[i]);
      assertEquals(1, fi.ends()[i]);
    }
  }

  @Test
  void astralCharactersAndLoneSurrogatesKeepUtf16Spans() throws IOException {
    SentencePieceProcessor llama = load("bpe8k_llama");
    // U+1F600 is two chars in Java; every byte piece of it spans both.
    EncodedPieces e = llama.encode("a😀");
    assertEquals("<0xF0>", e.pieces()[e.size() - 4]);
    for (int i = e.size() - 4; i < e.size(); i++) {
      assertEquals(1, e.starts()[i]);
      assertEquals(3, e.ends()[i]);
    }
    // A code point whose low 16 bits look like a surrogate is still one character.
    EncodedPieces signWriting = llama.encode("\uD836\uDC00");
    assertArrayEquals(
        new String[] {"▁", "<0xF0>", "<0x9D>", "<0xA0>", "<0x80>"}, signWriting.pieces());
    // A lone surrogate reads as U+FFFD and spans its one char.
    EncodedPieces lone = llama.encode("x\uD800y");
    assertEquals(llama.encode("x\uFFFDy").pieces().length, lone.pieces().length);
    assertArrayEquals(llama.encode("x\uFFFDy").ids(), lone.ids());
  }

  @Test
  void longTextsWithoutSpacesEncodeInOnePass() throws IOException {
    // Quadratic work would not finish here; the content is checked against a shorter text.
    for (String name : ReferenceSets.MODELS) {
      SentencePieceProcessor spm = load(name);
      String a = "a".repeat(100_000);
      EncodedPieces long1 = spm.encode(a);
      assertEquals(a.length(), long1.ends()[long1.size() - 1]);
      StringBuilder letters = new StringBuilder();
      java.util.Random random = new java.util.Random(3);
      while (letters.length() < 1_000_000) {
        letters.append((char) ('a' + random.nextInt(26)));
      }
      EncodedPieces long2 = spm.encode(letters.toString());
      assertEquals(letters.length(), long2.ends()[long2.size() - 1]);
      assertEquals(letters.toString(), spm.decode(long2.ids()));
    }
  }
}
