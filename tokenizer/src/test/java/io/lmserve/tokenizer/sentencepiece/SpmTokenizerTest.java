package io.lmserve.tokenizer.sentencepiece;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.tokenizer.DecodeStream;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code .model} file through {@link Tokenizer#load}: the pipeline gives what {@code spm_encode}
 * gives (ids and pieces of every reference line), offsets equal the processor's, and decoding,
 * streamed or not, equals SentencePiece's.
 */
class SpmTokenizerTest {

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("io.lmserve.tokenizer.sentencepiece.SpmReferenceTest#modelsAndSets")
  void tokenizerLoadedFromDotModelEqualsSpmEncode(String model, String set) throws IOException {
    Tokenizer tokenizer = Tokenizer.load(ReferenceSets.model(model));
    SentencePieceProcessor spm = SentencePieceProcessor.load(ReferenceSets.model(model));
    List<String> mismatches = new ArrayList<>();
    int lines = 0;
    for (ReferenceSets.Expected expected : ReferenceSets.expected(set, model, "spm")) {
      lines++;
      Encoding e = tokenizer.encode(expected.text());
      if (!Arrays.equals(expected.ids(), e.ids())
          || !Arrays.equals(expected.tokens(), e.tokens())) {
        mismatches.add(
            "line " + expected.line() + " " + SpmReferenceTest.abbreviate(expected.text()));
        continue;
      }
      EncodedPieces p = spm.encode(expected.text());
      for (int i = 0; i < e.length(); i++) {
        assertArrayEquals(
            new int[] {p.starts()[i], p.ends()[i]}, e.offsets()[i], "line " + expected.line());
      }
      String decoded = spm.decode(e.ids());
      assertEquals(decoded, tokenizer.decode(e.ids(), false), "line " + expected.line());
      assertEquals(decoded, streamed(tokenizer, e.ids()), "streamed, line " + expected.line());
    }
    ReferenceSets.assertNoMismatches(mismatches, lines);
  }

  static String streamed(Tokenizer tokenizer, int[] ids) {
    DecodeStream stream = tokenizer.decodeStream(false);
    StringBuilder out = new StringBuilder();
    for (int id : ids) {
      out.append(stream.next(id));
    }
    return out.append(stream.flush()).toString();
  }

  @Test
  void describesItselfAndLeavesSpecialLookingTextAlone() throws IOException {
    Tokenizer tokenizer = Tokenizer.load(ReferenceSets.model("unigram8k"));
    assertEquals("sentencepiece-unigram", tokenizer.family().orElseThrow());
    assertEquals(8000, tokenizer.vocabSize());
    assertEquals(
        java.util.Map.of("unk_token", "<unk>", "bos_token", "<s>", "eos_token", "</s>"),
        tokenizer.config().specialTokens(),
        "roles from the trainer spec; pad_id is -1 in this model");
    assertEquals(1, tokenizer.tokenToId("<s>").orElseThrow());
    Encoding e = tokenizer.encode("<s>", EncodeOptions.defaults());
    SentencePieceProcessor spm = SentencePieceProcessor.load(ReferenceSets.model("unigram8k"));
    assertArrayEquals(spm.encodeIds("<s>"), e.ids(), "as spm: <s> in text is plain text");
    assertEquals(
        "sentencepiece-bpe", Tokenizer.load(ReferenceSets.model("bpe8k")).family().orElseThrow());
  }
}
