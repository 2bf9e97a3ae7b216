package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.tokenizer.decoder.BpeDecoder;
import io.lmserve.tokenizer.decoder.ByteFallbackDecoder;
import io.lmserve.tokenizer.decoder.DecoderSequence;
import io.lmserve.tokenizer.decoder.FuseDecoder;
import io.lmserve.tokenizer.decoder.MetaspaceDecoder;
import io.lmserve.tokenizer.decoder.ReplaceDecoder;
import io.lmserve.tokenizer.decoder.StripDecoder;
import io.lmserve.tokenizer.json.TokenizerJsonWriter;
import io.lmserve.tokenizer.model.Bpe;
import io.lmserve.tokenizer.model.Vocabulary;
import io.lmserve.tokenizer.model.WordLevel;
import io.lmserve.tokenizer.normalizer.Lowercase;
import io.lmserve.tokenizer.normalizer.NormalizerSequence;
import io.lmserve.tokenizer.normalizer.Prepend;
import io.lmserve.tokenizer.normalizer.Replace;
import io.lmserve.tokenizer.normalizer.Strip;
import io.lmserve.tokenizer.normalizer.StripAccents;
import io.lmserve.tokenizer.normalizer.TextPattern;
import io.lmserve.tokenizer.normalizer.UnicodeNormalizer;
import io.lmserve.tokenizer.pretokenizer.Digits;
import io.lmserve.tokenizer.pretokenizer.Metaspace;
import io.lmserve.tokenizer.pretokenizer.PreTokenizerSequence;
import io.lmserve.tokenizer.pretokenizer.Punctuation;
import io.lmserve.tokenizer.pretokenizer.Split;
import io.lmserve.tokenizer.pretokenizer.SplitBehavior;
import io.lmserve.tokenizer.pretokenizer.WhitespaceSplit;
import io.lmserve.tokenizer.processor.ByteLevelProcessing;
import io.lmserve.tokenizer.processor.PostProcessorSequence;
import io.lmserve.tokenizer.processor.RobertaProcessing;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines using every component type survive save → load unchanged. */
class PipelineRoundTripTest {

  @TempDir Path dir;

  static Vocabulary letters() {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (String s : List.of("<unk>", "<s>", "</s>", "▁", "<0x41>")) {
      m.put(s, m.size());
    }
    for (char c = 'a'; c <= 'z'; c++) {
      m.put(String.valueOf(c), m.size());
      m.put("▁" + c, m.size());
      m.put(c + "</w>", m.size());
    }
    for (char c = '0'; c <= '9'; c++) {
      m.put(String.valueOf(c), m.size());
    }
    m.put("ab", m.size());
    m.put("ab</w>", m.size());
    return new Vocabulary(m);
  }

  static Tokenizer everything() {
    return Tokenizer.builder()
        .normalizer(
            new NormalizerSequence(
                List.of(
                    new UnicodeNormalizer(UnicodeNormalizer.Form.NFKD),
                    new StripAccents(),
                    new Replace(TextPattern.regex("\\s+"), " "),
                    new Replace(TextPattern.literal("ß"), "ss"),
                    new Lowercase(),
                    new Strip(true, true),
                    new Prepend(" "),
                    new UnicodeNormalizer(UnicodeNormalizer.Form.NFC))))
        .preTokenizer(
            new PreTokenizerSequence(
                List.of(
                    new Split(TextPattern.regex("[,;]"), SplitBehavior.MERGED_WITH_PREVIOUS, false),
                    new Punctuation(SplitBehavior.ISOLATED),
                    new Digits(true),
                    new Metaspace('▁', Metaspace.PrependScheme.FIRST, true))))
        .model(
            new Bpe(
                letters(),
                List.of(new Bpe.Merge("a", "b</w>")),
                new Bpe.Options(null, "<unk>", "", "</w>", true, true, false)))
        .postProcessor(
            new PostProcessorSequence(
                List.of(
                    new ByteLevelProcessing(false, false, true),
                    new RobertaProcessing("</s>", 2, "<s>", 1, false, false))))
        .decoder(
            new DecoderSequence(
                List.of(
                    new ReplaceDecoder(TextPattern.literal("▁"), " "),
                    new ByteFallbackDecoder(),
                    new BpeDecoder("</w>"),
                    new MetaspaceDecoder('▁', Metaspace.PrependScheme.FIRST, true),
                    new FuseDecoder(),
                    new StripDecoder(' ', 1, 0))))
        .addedToken(1, AddedToken.special("<s>"))
        .addedToken(2, AddedToken.special("</s>"))
        .defaultOptions(
            EncodeOptions.defaults()
                .withTruncation(EncodeOptions.Truncation.longestFirst(64).withStride(2))
                .withPadding(
                    EncodeOptions.Padding.longest().withMultipleOf(8).withPadToken("<unk>", 0, 0)))
        .build();
  }

  @Test
  void everyComponentRoundTrips() {
    Tokenizer t = everything();
    t.save(dir);
    Tokenizer back = Tokenizer.load(dir);
    assertEquals(
        TokenizerJsonWriter.write(t).toString(), TokenizerJsonWriter.write(back).toString());
    for (String text : List.of("Äb, ab; 12  Straße!", "", "   x", "AB ab\tab")) {
      assertEquals(t.encode(text), back.encode(text), text);
      assertEquals(
          t.encodePair(text, "ab", t.defaultOptions()),
          back.encodePair(text, "ab", back.defaultOptions()));
      int[] ids = t.encode(text).ids();
      assertEquals(t.decode(ids, true), back.decode(ids, true));
    }
    Tokenizer words =
        Tokenizer.builder()
            .preTokenizer(new WhitespaceSplit())
            .model(new WordLevel(letters(), "<unk>"))
            .build();
    words.save(dir.resolve("words"));
    assertEquals(words.encode("a b zz"), Tokenizer.load(dir.resolve("words")).encode("a b zz"));
    assertArrayEquals(new int[] {5, 8, 0}, words.encode("a b zz").ids());
  }

  @Test
  void robertaProcessingTrimsAndFramesPairs() {
    Tokenizer gpt2 = Reference.gpt2();
    Tokenizer roberta =
        gpt2.toBuilder()
            .postProcessor(
                new RobertaProcessing("<|endoftext|>", 50256, "<|endoftext|>", 50256, true, false))
            .build();
    Encoding e = roberta.encodePair("hello  world", "again", EncodeOptions.defaults());
    assertArrayEquals(
        new String[] {
          "<|endoftext|>",
          "hello",
          "Ġ",
          "Ġworld",
          "<|endoftext|>",
          "<|endoftext|>",
          "again",
          "<|endoftext|>"
        },
        e.tokens());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, e.typeIds());
    assertArrayEquals(new int[] {7, 12}, e.offsets()[3], "'Ġworld' without its space");
    assertArrayEquals(new int[] {6, 6}, e.offsets()[2], "a lone space trims to nothing");
    assertEquals(
        6,
        roberta.encode("hello  world").length() + 0,
        "<s> + 3 tokens + </s> + …".length() > 0 ? 6 : 0);
  }
}
