package io.lmserve.tokenizer.sentencepiece.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelProtoReaderTest {

  private static Path spm(String name) {
    return SharedData.path("fixtures/tokenizers/spm/" + name);
  }

  @Test
  void readsTheUnigramModelAndAgreesWithItsVocabFile() throws IOException {
    ModelProto model = ModelProtoReader.read(spm("unigram8k.model"));
    assertEquals(8000, model.pieces().size());
    assertEquals(ModelType.UNIGRAM, model.trainerSpec().modelType());
    assertTrue(model.trainerSpec().byteFallback());
    assertEquals(new Piece("<unk>", 0f, PieceType.UNKNOWN), model.pieces().get(0));
    assertEquals(new Piece("<s>", 0f, PieceType.CONTROL), model.pieces().get(1));
    assertEquals(new Piece("</s>", 0f, PieceType.CONTROL), model.pieces().get(2));
    assertEquals(new Piece("<0x00>", 0f, PieceType.BYTE), model.pieces().get(3));
    assertEquals(new Piece("<0xFF>", 0f, PieceType.BYTE), model.pieces().get(258));
    assertEquals("nmt_nfkc", model.normalizerSpec().name());
    assertTrue(model.normalizerSpec().precompiledCharsMap().length > 100_000);
    assertTrue(model.normalizerSpec().addDummyPrefix());
    assertTrue(model.normalizerSpec().removeExtraWhitespaces());
    assertEquals(0, model.trainerSpec().unkId());
    assertEquals(-1, model.trainerSpec().padId());
    assertEquals(
        Optional.empty(), model.denormalizer().filter(d -> d.precompiledCharsMap().length > 0));
    assertMatchesVocabFile(model, spm("unigram8k.vocab"));
  }

  @Test
  void readsTheLlamaStyleBpeModel() throws IOException {
    ModelProto model = ModelProtoReader.read(spm("bpe8k_llama.model"));
    assertEquals(ModelType.BPE, model.trainerSpec().modelType());
    assertTrue(model.trainerSpec().splitDigits());
    assertTrue(model.trainerSpec().allowWhitespaceOnlyPieces());
    assertEquals("identity", model.normalizerSpec().name());
    assertEquals(0, model.normalizerSpec().precompiledCharsMap().length);
    assertFalse(model.normalizerSpec().removeExtraWhitespaces());
    assertMatchesVocabFile(model, spm("bpe8k_llama.vocab"));
    assertMatchesVocabFile(ModelProtoReader.read(spm("bpe8k.model")), spm("bpe8k.vocab"));
  }

  private static void assertMatchesVocabFile(ModelProto model, Path vocab) throws IOException {
    List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
    assertEquals(lines.size(), model.pieces().size());
    for (int i = 0; i < lines.size(); i++) {
      String[] cols = lines.get(i).split("\t");
      assertEquals(cols[0], model.pieces().get(i).piece(), "piece " + i);
      // the .vocab file prints six significant digits
      float expected = Float.parseFloat(cols[1]);
      assertEquals(
          expected,
          model.pieces().get(i).score(),
          1e-5 * Math.max(1, Math.abs(expected)),
          "score of piece " + i);
    }
  }

  @Test
  void roundTripsEveryFieldThroughTheWireFormat() {
    TrainerSpec trainer =
        new TrainerSpec(
            ModelType.BPE,
            7,
            false,
            false,
            false,
            true,
            true,
            true,
            true,
            List.of("<ctl>"),
            List.of("<user>"),
            3,
            -1,
            5,
            6,
            "[u]",
            "[b]",
            "[e]",
            "[p]",
            "??");
    NormalizerSpec normalizer =
        new NormalizerSpec("custom", new byte[] {1, 2, 3}, false, false, false);
    ModelProto model =
        new ModelProto(
            List.of(
                new Piece("a", -1.5f, PieceType.NORMAL),
                new Piece("<user>", 0f, PieceType.USER_DEFINED)),
            trainer,
            normalizer,
            Optional.of(NormalizerSpec.none()));
    ModelProto back = ModelProtoReader.parse(ModelProtoWriter.write(model));
    assertEquals(model.pieces(), back.pieces());
    assertEquals(trainer, back.trainerSpec());
    assertArrayEquals(new byte[] {1, 2, 3}, back.normalizerSpec().precompiledCharsMap());
    assertEquals("custom", back.normalizerSpec().name());
    assertFalse(back.normalizerSpec().addDummyPrefix());
    assertTrue(back.denormalizer().isPresent());
  }

  @Test
  void everyTruncationOfARealModelIsEitherValidOrAClearError() throws IOException {
    byte[] data = Files.readAllBytes(spm("bpe8k_llama.model"));
    Random random = new Random(7);
    int clearErrors = 0;
    for (int i = 0; i < 400; i++) {
      int length = i < 64 ? i : random.nextInt(data.length);
      byte[] prefix = java.util.Arrays.copyOf(data, length);
      try {
        ModelProtoReader.parse(prefix);
      } catch (MalformedModelException e) {
        assertTrue(e.getMessage().startsWith("not a valid SentencePiece model"), e.getMessage());
        clearErrors++;
      }
    }
    assertTrue(clearErrors > 300, "most truncations end inside a field: " + clearErrors);
  }

  @Test
  void garbageGivesAClearErrorAndNeverAnotherException() {
    Random random = new Random(11);
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = new byte[random.nextInt(200)];
      random.nextBytes(garbage);
      try {
        ModelProtoReader.parse(garbage);
      } catch (MalformedModelException expected) {
        // the only acceptable failure
      }
    }
  }

  @Test
  void aDeclaredLengthBeyondTheInputIsRejectedWithoutAllocatingIt() {
    // field 1 (pieces), wire type 2, length 2^31 - 1, then nothing
    byte[] hostile = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
    MalformedModelException e =
        assertThrows(MalformedModelException.class, () -> ModelProtoReader.parse(hostile));
    assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
  }

  @Test
  void rejectsAFileWithoutPiecesAndOneWithAnUnknownPieceType() {
    assertThrows(MalformedModelException.class, () -> ModelProtoReader.parse(new byte[0]));
    byte[] badType = {0x0A, 0x05, 0x0A, 0x01, 'a', 0x18, 0x09};
    MalformedModelException e =
        assertThrows(MalformedModelException.class, () -> ModelProtoReader.parse(badType));
    assertTrue(e.getMessage().contains("piece type 9"), e.getMessage());
  }
}
