package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecodeTest {

  static Tokenizer bert;
  static Tokenizer gpt2;

  @BeforeAll
  static void load() {
    bert = Reference.bert();
    gpt2 = Reference.gpt2();
  }

  @Test
  void skipSpecialTokens() {
    int[] ids = bert.encode("Hello, world!").ids();
    assertEquals("[CLS] hello, world! [SEP]", bert.decode(ids, false));
    assertEquals("hello, world!", bert.decode(ids, true));
    int[] g = gpt2.encode("a<|endoftext|>b").ids();
    assertEquals("a<|endoftext|>b", gpt2.decode(g, false));
    assertEquals("ab", gpt2.decode(g, true));
  }

  @Test
  void unknownIdIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> gpt2.decode(new int[] {50257}, false));
    assertTrue(e.getMessage().contains("50257"), e.getMessage());
  }

  @Test
  void cleanUpFollowsTheConfig() {
    int[] ids = gpt2.encode("it 's here .").ids();
    assertEquals("it 's here .", gpt2.decode(ids, false), "GPT-2 has no clean-up by default");
    Tokenizer cleaning =
        gpt2.toBuilder()
            .config(new Tokenizer.TokenizerConfig("gpt2-bpe", java.util.Map.of(), true, 0))
            .build();
    assertEquals("it's here.", cleaning.decode(ids, false));
  }

  /** What a stream emits, id by id, checking it never emits half a character or a stray �. */
  static String stream(Tokenizer t, int[] ids, boolean skip, String expectedFinal) {
    DecodeStream s = t.decodeStream(skip);
    StringBuilder sb = new StringBuilder();
    for (int id : ids) {
      String piece = s.next(id);
      if (!piece.isEmpty()) {
        assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), "split pair");
      }
      sb.append(piece);
      assertTrue(expectedFinal.startsWith(sb.toString()), "emitted text is final: " + sb);
    }
    sb.append(s.flush());
    return sb.toString();
  }

  @Test
  void decodeStreamEqualsDecode() {
    List<String> texts =
        List.of(
            "Hello world, this is a test.",
            "😀 emoji 👨‍👩‍👧 and 中文 and é",
            "  spaces   and\ttabs\n",
            "unaffable [SEP] things",
            "");
    for (Tokenizer t : List.of(gpt2, bert)) {
      for (String text : texts) {
        int[] ids = t.encode(text).ids();
        for (boolean skip : new boolean[] {false, true}) {
          String full = t.decode(ids, skip);
          assertEquals(full, stream(t, ids, skip, full), text);
        }
      }
    }
  }

  @Test
  void decodeStreamHoldsBackIncompleteCharacters() {
    int[] ids = gpt2.encode("😀").ids();
    assertTrue(ids.length > 1, "the emoji is several byte tokens");
    DecodeStream s = gpt2.decodeStream(false);
    List<String> pieces = new ArrayList<>();
    for (int id : ids) {
      pieces.add(s.next(id));
    }
    for (int i = 0; i < pieces.size() - 1; i++) {
      assertEquals("", pieces.get(i));
    }
    assertEquals("😀", pieces.getLast());
  }
}
