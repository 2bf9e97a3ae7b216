package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

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

  @Property(tries = 300)
  void byteLevelBpeDecodesBackToTheExactText(
      @ForAll @StringLength(max = 40) @CharRange(from = 0, to = 0xFFFF) String text) {
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

  @Property(tries = 200)
  void everyTrainedTypeEncodesAnyTextWithOffsetsInside(
      @ForAll
          @StringLength(max = 40)
          @Chars({' ', 'a', 'é', '中', '\t', '\n', '#', '\u2581'})
          @CharRange(from = 'A', to = 'z')
          String text) {
    for (TrainerType type :
        new TrainerType[] {TrainerType.BPE, TrainerType.WORDPIECE, TrainerType.SENTENCEPIECE_BPE}) {
      Encoding encoding = loaded(type).encode(text, EncodeOptions.defaults());
      checkOffsets(text, encoding);
    }
  }

  @Property(tries = 200)
  void sentencePieceBpeDecodesNormalizedText(
      @ForAll @StringLength(max = 40) @CharRange(from = 'a', to = 'z') @Chars({' ', '中', 'ö'})
          String text) {
    Tokenizer tokenizer = loaded(TrainerType.SENTENCEPIECE_BPE);
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
