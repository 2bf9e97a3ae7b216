package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs that make naive BPE quadratic: one word of 100 000 characters, a 1 MB line without spaces.
 * Checked for correctness (offsets tile the text, decoding gives it back, the result equals the
 * encoding of the same word built from smaller pieces where BPE is local); speed belongs in
 * benchmarks.
 */
class LongInputTest {

  static Tokenizer gpt2;
  static Tokenizer bert;

  @BeforeAll
  static void load() {
    gpt2 = Reference.gpt2();
    bert = Reference.bert();
  }

  static void assertTiles(Encoding e, String text) {
    int at = 0;
    for (int[] o : e.offsets()) {
      assertEquals(at, o[0] <= at ? at : o[0], "offsets leave no gap");
      at = Math.max(at, o[1]);
    }
    assertEquals(text.length(), at);
  }

  @Test
  void hundredThousandAs() {
    String text = "a".repeat(100_000);
    Encoding e = gpt2.encode(text);
    assertEquals(text, gpt2.decode(e.ids(), false));
    assertTiles(e, text);
    // The longest 'a' token GPT-2 has is 8 characters, and merging is deterministic: every token
    // but the last is the same.
    int first = e.ids()[0];
    for (int i = 0; i < e.length() - 1; i++) {
      assertEquals(first, e.ids()[i]);
    }
    assertEquals(gpt2.encode("a".repeat(1000)).ids()[0], first);
  }

  @Test
  void oneMegabyteLineWithoutSpaces() {
    Random random = new Random(7);
    StringBuilder sb = new StringBuilder(1 << 20);
    while (sb.length() < 1 << 20) {
      sb.append((char) ('a' + random.nextInt(26)));
      if (random.nextInt(50) == 0) {
        sb.append("é中😀.,");
      }
    }
    String text = sb.toString();
    Encoding e = gpt2.encode(text);
    assertEquals(text, gpt2.decode(e.ids(), false));
    assertTiles(e, text);
    Encoding b = bert.encode(text, EncodeOptions.defaults().withAddSpecialTokens(false));
    for (int[] o : b.offsets()) {
      assertEquals(true, o[0] < o[1] && o[1] <= text.length());
    }
  }
}
