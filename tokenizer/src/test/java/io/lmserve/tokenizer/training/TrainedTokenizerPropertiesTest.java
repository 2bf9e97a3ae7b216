package io.lmserve.tokenizer.training;

import static io.lmserve.testkit.RandomCases.anyOf;
import static io.lmserve.testkit.RandomCases.charsOf;
import static io.lmserve.testkit.RandomCases.codePoints;
import static io.lmserve.testkit.RandomCases.forAll;
import static io.lmserve.testkit.RandomCases.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.testkit.RandomCases.Gen;
import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trained tokenizers, saved and loaded back, behave on text nobody thought of. */
class TrainedTokenizerPropertiesTest {

  private static final Map<TrainerType, Tokenizer> LOADED = new EnumMap<>(TrainerType.class);

  private static synchronized Tokenizer loaded(TrainerType type) {
    return LOADED.computeIfAbsent(
        type,
        t -> {
          try {
            Path dir = Files.createTempDirectory("lmserve-trained-" + t.cliName());
            TokenizerTrainer.train(
                    TrainingCorpora.slice(1500),
                    TrainingOptions.builder(t, 800).byteFallback(true).build(),
                    TrainingProgress.NONE)
                .save(dir);
            return Tokenizer.load(dir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static final Gen<String> ANY_BMP_TEXT = joined(codePoints(0, 0xFFFF), 0, 40);
  private static final Gen<String> MIXED_TEXT =
      joined(anyOf(charsOf(" a\u00e9\u4e2d\t\n#\u2581"), codePoints('A', 'z')), 0, 40);
  private static final Gen<String> LOWER_TEXT =
      joined(anyOf(codePoints('a', 'z'), charsOf(" \u4e2d\u00f6")), 0, 40);

  @Test
  void byteLevelBpeDecodesBackToTheExactText() {
    forAll(0x7B1EL, 300, ANY_BMP_TEXT, TrainedTokenizerPropertiesTest::byteLevelRoundTrip);
  }

  @Test
  void everyTrainedTypeEncodesAnyTextWithOffsetsInside() {
    forAll(0x7B2EL, 200, MIXED_TEXT, TrainedTokenizerPropertiesTest::offsetsInside);
  }

  @Test
  void sentencePieceBpeDecodesNormalizedText() {
    forAll(0x7B3EL, 200, LOWER_TEXT, t -> decodesNormalized(TrainerType.SENTENCEPIECE_BPE, t));
  }

  @Test
  void unigramDecodesNormalizedText() {
    forAll(0x7B4EL, 200, LOWER_TEXT, t -> decodesNormalized(TrainerType.UNIGRAM, t));
  }

  /** The Unigram tokenizer handed out by training is the one its saved files load as. */
  @Test
  void readyUnigramEqualsItsSavedFiles() throws IOException {
    TrainedTokenizer trained =
        TokenizerTrainer.train(
            TrainingCorpora.slice(1500),
            TrainingOptions.builder(TrainerType.UNIGRAM, 800).byteFallback(true).build(),
            TrainingProgress.NONE);
    Path dir = Files.createTempDirectory("lmserve-trained-unigram-ready");
    trained.save(dir);
    Tokenizer saved = Tokenizer.load(dir);
    Tokenizer ready = trained.asTokenizer().orElseThrow();
    forAll(
        0x7B5EL,
        200,
        MIXED_TEXT,
        text -> {
          Encoding expected = saved.encode(text, EncodeOptions.defaults());
          assertEquals(expected, ready.encode(text, EncodeOptions.defaults()));
          assertEquals(saved.decode(expected.ids(), false), ready.decode(expected.ids(), false));
        });
  }

  private static void byteLevelRoundTrip(String text) {
    Tokenizer tokenizer = loaded(TrainerType.BYTE_BPE);
    Encoding encoding = tokenizer.encode(text, EncodeOptions.defaults());
    String wellFormed =
        text.codePoints()
            .collect(
                StringBuilder::new,
                (sb, cp) ->
                    sb.appendCodePoint(
                        Character.isSurrogate((char) cp) && cp <= 0xFFFF ? 0xFFFD : cp),
                StringBuilder::append)
            .toString();
    assertEquals(wellFormed, tokenizer.decode(encoding.ids(), false));
    checkOffsets(text, encoding);
  }

  private static void offsetsInside(String text) {
    for (TrainerType type :
        new TrainerType[] {
          TrainerType.BPE, TrainerType.WORDPIECE, TrainerType.SENTENCEPIECE_BPE, TrainerType.UNIGRAM
        }) {
      Encoding encoding = loaded(type).encode(text, EncodeOptions.defaults());
      checkOffsets(text, encoding);
    }
  }

  private static void decodesNormalized(TrainerType type, String text) {
    Tokenizer tokenizer = loaded(type);
    Encoding encoding = tokenizer.encode(text, EncodeOptions.defaults());
    String expected = text.strip().replaceAll(" +", " ");
    assertEquals(expected, tokenizer.decode(encoding.ids(), false));
  }

  private static void checkOffsets(String text, Encoding encoding) {
    int previousStart = 0;
    for (int i = 0; i < encoding.ids().length; i++) {
      if (encoding.specialTokensMask()[i] == 1) {
        continue; // [CLS] and [SEP] added around the text point at nothing
      }
      int[] offset = encoding.offsets()[i];
      assertTrue(offset[0] >= 0 && offset[0] <= offset[1] && offset[1] <= text.length());
      assertTrue(offset[0] >= previousStart, "offsets go backwards");
      previousStart = offset[0];
    }
  }
}
