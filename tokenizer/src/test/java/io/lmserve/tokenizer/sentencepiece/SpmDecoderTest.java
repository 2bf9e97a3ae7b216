package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expected strings are what {@code spm_decode --input_format=piece} prints for the same pieces. */
class SpmDecoderTest {

  private static String decodePieces(SentencePieceProcessor spm, String pieces) {
    int[] ids =
        Arrays.stream(pieces.split(" "))
            .mapToInt(p -> spm.pieceToId(p).orElseThrow(() -> new AssertionError("no piece " + p)))
            .toArray();
    return spm.decode(ids);
  }

  @Test
  void dropsOnlyTheDummyPrefixWhenWhitespaceIsKept() throws IOException {
    SentencePieceProcessor llama = SentencePieceProcessor.load(ReferenceSets.model("bpe8k_llama"));
    assertEquals(" Hello", decodePieces(llama, "▁ ▁Hell o"));
    assertEquals(" Hell", decodePieces(llama, "<s> ▁ ▁Hell"));
    assertEquals("Hello ", decodePieces(llama, "▁Hell o ▁"));
    assertEquals("Hello", decodePieces(llama, "▁Hell o"));
  }

  @Test
  void dropsAllLeadingSpaceWhenExtraWhitespaceIsRemoved() throws IOException {
    SentencePieceProcessor bpe = SentencePieceProcessor.load(ReferenceSets.model("bpe8k"));
    assertEquals("Hello", decodePieces(bpe, "▁ ▁Hell o"));
    assertEquals(" ⁇ a ⁇ ", decodePieces(bpe, "<unk> a <unk>"));
  }

  @Test
  void reassemblesBytesAndReplacesEachMalformedByte() throws IOException {
    SentencePieceProcessor llama = SentencePieceProcessor.load(ReferenceSets.model("bpe8k_llama"));
    assertEquals("\uFFFD\uFFFD a", decodePieces(llama, "<0xE2> <0x82> ▁a"));
    assertEquals("€\uFFFDa", decodePieces(llama, "<0xE2> <0x82> <0xAC> <0xFF> a"));
  }

  @Test
  void rejectsIdsOutsideTheVocabulary() throws IOException {
    SentencePieceProcessor llama = SentencePieceProcessor.load(ReferenceSets.model("bpe8k_llama"));
    assertThrows(IllegalArgumentException.class, () -> llama.decode(new int[] {8000}));
    assertThrows(IllegalArgumentException.class, () -> llama.decode(new int[] {-1}));
  }
}
