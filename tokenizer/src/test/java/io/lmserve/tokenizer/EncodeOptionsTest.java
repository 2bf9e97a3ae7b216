package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.EncodeOptions.Direction;
import io.lmserve.tokenizer.EncodeOptions.Padding;
import io.lmserve.tokenizer.EncodeOptions.SpecialTokens;
import io.lmserve.tokenizer.EncodeOptions.Truncation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EncodeOptionsTest {

  static Tokenizer bert;
  static Tokenizer gpt2;

  @BeforeAll
  static void load() {
    bert = Reference.bert();
    gpt2 = Reference.gpt2();
  }

  private static EncodeOptions opts() {
    return EncodeOptions.defaults();
  }

  @Test
  void specialTokenPolicy() {
    String text = "a<|endoftext|>b";
    Encoding parsed = gpt2.encode(text, opts());
    assertArrayEquals(new String[] {"a", "<|endoftext|>", "b"}, parsed.tokens());
    assertEquals(50256, parsed.ids()[1]);
    assertArrayEquals(new int[] {1, 14}, parsed.offsets()[1]);

    Encoding plain = gpt2.encode(text, opts().withSpecialTokens(SpecialTokens.IGNORE));
    assertTrue(plain.length() > 3);
    for (int id : plain.ids()) {
      assertTrue(id != 50256);
    }
    assertEquals(text, gpt2.decode(plain.ids(), false));

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> gpt2.encode(text, opts().withSpecialTokens(SpecialTokens.REJECT)));
    assertTrue(e.getMessage().contains("<|endoftext|>"), e.getMessage());
    // Text without special tokens is fine under REJECT.
    assertEquals(
        2, gpt2.encode("hello world", opts().withSpecialTokens(SpecialTokens.REJECT)).length());
  }

  @Test
  void bertSpecialTokenInTextIsMatchedBeforeNormalization() {
    Encoding e = bert.encode("Hi [SEP] there", opts().withAddSpecialTokens(false));
    assertArrayEquals(new String[] {"hi", "[SEP]", "there"}, e.tokens());
    assertArrayEquals(new int[] {3, 8}, e.offsets()[1]);
    Encoding ignored =
        bert.encode(
            "Hi [SEP] there",
            opts().withAddSpecialTokens(false).withSpecialTokens(SpecialTokens.IGNORE));
    assertArrayEquals(new String[] {"hi", "[", "sep", "]", "there"}, ignored.tokens());
  }

  @Test
  void addedTokensStripAndSingleWord() {
    Tokenizer t =
        bert.withAddedTokens(
            List.of(
                new AddedToken("<new>", false, true, true, false, false),
                new AddedToken("zqx", true, false, false, false, false),
                AddedToken.plain("FooBar")));
    assertEquals(30522 + 3, t.vocabSize());
    int newId = t.tokenToId("<new>").getAsInt();
    EncodeOptions o = opts().withAddSpecialTokens(false);

    Encoding stripped = t.encode("x  <new>  y", o);
    assertArrayEquals(new String[] {"x", "<new>", "y"}, stripped.tokens());
    assertEquals(newId, stripped.ids()[1]);
    assertArrayEquals(new int[] {1, 10}, stripped.offsets()[1], "lstrip/rstrip swallow spaces");

    Encoding single = t.encode("zqx zqxa azqx zqx", o);
    int ab = t.tokenToId("zqx").getAsInt();
    int count = 0;
    for (int id : single.ids()) {
      count += id == ab ? 1 : 0;
    }
    assertEquals(2, count, "single_word: only the free-standing ones");

    // normalized=true: matched in the lowercased text.
    Encoding normalized = t.encode("FOOBAR baz", o);
    assertEquals(t.tokenToId("FooBar").getAsInt(), normalized.ids()[0]);
    assertArrayEquals(new int[] {0, 6}, normalized.offsets()[0]);
    assertEquals("foobar", t.decode(new int[] {normalized.ids()[0]}, false).toLowerCase());
  }

  @Test
  void truncationWithStrideMakesOverflowingWindows() {
    String text = "the cat sat on mat";
    EncodeOptions o = opts().withTruncation(Truncation.longestFirst(5).withStride(1));
    Encoding e = bert.encode(text, o);
    assertArrayEquals(new String[] {"[CLS]", "the", "cat", "sat", "[SEP]"}, e.tokens());
    assertEquals(1, e.overflowing().size());
    Encoding w = e.overflowing().get(0);
    assertArrayEquals(new String[] {"[CLS]", "sat", "on", "mat", "[SEP]"}, w.tokens());
    assertArrayEquals(new int[] {8, 11}, w.offsets()[1], "windows keep offsets into the text");

    Encoding left =
        bert.encode(
            text,
            opts()
                .withTruncation(
                    Truncation.longestFirst(5).withStride(1).withDirection(Direction.LEFT)));
    assertArrayEquals(new String[] {"[CLS]", "sat", "on", "mat", "[SEP]"}, left.tokens());
    assertArrayEquals(
        new String[] {"[CLS]", "the", "cat", "sat", "[SEP]"}, left.overflowing().get(0).tokens());

    Encoding noSpecial =
        bert.encode(
            text, opts().withAddSpecialTokens(false).withTruncation(Truncation.longestFirst(2)));
    assertArrayEquals(new String[] {"the", "cat"}, noSpecial.tokens());
    assertEquals(2, noSpecial.overflowing().size());
  }

  @Test
  void pairTruncationStrategies() {
    String a = "one two three four five six";
    String b = "seven eight";
    Encoding longest = bert.encodePair(a, b, opts().withTruncation(Truncation.longestFirst(8)));
    assertArrayEquals(
        new String[] {"[CLS]", "one", "two", "three", "[SEP]", "seven", "eight", "[SEP]"},
        longest.tokens());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1}, longest.typeIds());
    assertArrayEquals(new int[] {-1, 0, 0, 0, -1, 1, 1, -1}, longest.sequenceIds());

    Encoding second =
        bert.encodePair(
            a,
            b,
            opts()
                .withTruncation(
                    new Truncation(Truncation.Strategy.ONLY_SECOND, 10, 0, Direction.RIGHT)));
    assertArrayEquals(
        new String[] {
          "[CLS]", "one", "two", "three", "four", "five", "six", "[SEP]", "seven", "[SEP]"
        },
        second.tokens());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            bert.encodePair(
                a,
                b,
                opts()
                    .withTruncation(
                        new Truncation(Truncation.Strategy.ONLY_SECOND, 6, 0, Direction.RIGHT))));
    assertThrows(
        IllegalArgumentException.class,
        () -> bert.encode(a, opts().withTruncation(Truncation.longestFirst(1))),
        "no room for [CLS] and [SEP]");
  }

  @Test
  void paddingLongestMultipleOfAndLeft() {
    List<String> texts = List.of("hello", "hello world foo");
    List<Encoding> batch =
        bert.encodeBatch(texts, opts().withPadding(Padding.longest().withMultipleOf(4)));
    assertEquals(8, batch.get(0).length());
    assertEquals(8, batch.get(1).length());
    assertArrayEquals(new int[] {101, 7592, 102, 0, 0, 0, 0, 0}, batch.get(0).ids());
    assertArrayEquals(new int[] {1, 1, 1, 0, 0, 0, 0, 0}, batch.get(0).attentionMask());
    assertArrayEquals(new int[] {1, 0, 1, 1, 1, 1, 1, 1}, batch.get(0).specialTokensMask());
    assertEquals("[PAD]", batch.get(0).tokens()[7]);

    Encoding left =
        bert.encode("hello", opts().withPadding(Padding.toLength(5).withDirection(Direction.LEFT)));
    assertArrayEquals(new int[] {0, 0, 101, 7592, 102}, left.ids());
    assertArrayEquals(new int[] {-1, -1, -1, 0, -1}, left.wordIds());

    Encoding gptPad =
        gpt2.encode(
            "hi", opts().withPadding(Padding.toLength(3).withPadToken("<|endoftext|>", 0, 0)));
    assertArrayEquals(new int[] {5303, 50256, 50256}, gptPad.ids());
  }

  @Test
  void batchIsParallelButOrdered() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      texts.add("text number " + i + " " + "x".repeat(i % 17));
    }
    List<Encoding> batch = gpt2.encodeBatch(texts, opts());
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(gpt2.encode(texts.get(i), opts()), batch.get(i));
    }
  }

  @Test
  void offsetsInThreeUnits() {
    String text = "é😀a b";
    Encoding e = gpt2.encode(text, opts());
    int[][] utf16 = e.offsets();
    int[][] cp = e.offsets(OffsetUnit.CODE_POINT, text, null);
    int[][] utf8 = e.offsets(OffsetUnit.UTF8, text, null);
    assertEquals(text.length(), utf16[utf16.length - 1][1]);
    assertEquals(text.codePointCount(0, text.length()), cp[cp.length - 1][1]);
    assertEquals(
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, utf8[utf8.length - 1][1]);
    // " b" is the last token: starts after é(2 bytes) 😀(4) a(1).
    assertArrayEquals(new int[] {7, 9}, utf8[utf8.length - 1]);
    assertArrayEquals(new int[] {3, 5}, cp[cp.length - 1]);
    assertArrayEquals(new int[] {4, 6}, utf16[utf16.length - 1]);
  }

  @Test
  void wordAndSequenceIds() {
    Encoding e = bert.encodePair("Hello, world", "again", opts());
    assertArrayEquals(
        new String[] {"[CLS]", "hello", ",", "world", "[SEP]", "again", "[SEP]"}, e.tokens());
    assertArrayEquals(new int[] {-1, 0, 1, 2, -1, 0, -1}, e.wordIds());
    assertArrayEquals(new int[] {-1, 0, 0, 0, -1, 1, -1}, e.sequenceIds());
    assertArrayEquals(new int[] {0, 5}, e.offsets()[5], "pair offsets point into the pair text");
  }

  @Test
  void optionLimits() {
    assertThrows(
        IllegalArgumentException.class, () -> Padding.toLength(EncodeOptions.MAX_LENGTH + 1));
    assertThrows(IllegalArgumentException.class, () -> Truncation.longestFirst(4).withStride(4));
  }
}
