package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.EncodeOptions.Truncation;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random Unicode (all planes, combining marks, ZWJ sequences, controls, lone surrogates) through
 * GPT-2 and BERT: no exception, offsets inside the text and in order, exact round trips.
 */
class TokenizerProperties {

  static final Tokenizer GPT2 = Reference.gpt2();
  static final Tokenizer BERT = Reference.bert();

  @Provide
  Arbitrary<String> text() {
    return UnicodeTexts.any();
  }

  static void assertOffsetsSane(Encoding e, String text, String pair) {
    int previousStart = 0;
    int previousSequence = -1;
    for (int i = 0; i < e.length(); i++) {
      int seq = e.sequenceIds()[i];
      int[] o = e.offsets()[i];
      if (seq < 0) {
        assertEquals(0, o[0]);
        assertEquals(0, o[1]);
        continue;
      }
      String source = seq == 0 ? text : pair;
      if (seq != previousSequence) {
        previousStart = 0;
        previousSequence = seq;
      }
      assertTrue(0 <= o[0] && o[0] <= o[1] && o[1] <= source.length(), "offsets in the text");
      assertTrue(o[0] >= previousStart, "offsets in order");
      assertTrue(
          o[0] == 0
              || !Character.isLowSurrogate(source.charAt(o[0]))
              || !Character.isHighSurrogate(source.charAt(o[0] - 1)),
          "no split pair");
      previousStart = o[0];
    }
  }

  @Property(tries = 300)
  void gpt2RoundTripsAndOffsetsAreSane(@ForAll("text") String text) {
    Encoding e = GPT2.encode(text);
    assertOffsetsSane(e, text, null);
    assertEquals(UnicodeTexts.wellFormed(text), GPT2.decode(e.ids(), false));
  }

  @Property(tries = 300)
  void bertOffsetsAreSane(@ForAll("text") String text, @ForAll("text") String pair) {
    Encoding e = BERT.encodePair(text, pair, EncodeOptions.defaults());
    assertOffsetsSane(e, text, pair);
    BERT.decode(e.ids(), true);
  }

  @Property(tries = 200)
  void decodeStreamEqualsDecode(@ForAll("text") String text) {
    for (Tokenizer t : new Tokenizer[] {GPT2, BERT}) {
      int[] ids = t.encode(text).ids();
      for (boolean skip : new boolean[] {false, true}) {
        String full = t.decode(ids, skip);
        assertEquals(full, DecodeTest.stream(t, ids, skip, full));
      }
    }
  }

  @Property(tries = 200)
  void truncationKeepsEveryWindowWithinLimits(
      @ForAll("text") String text,
      @ForAll("text") String pair,
      @ForAll @IntRange(min = 4, max = 12) int maxLength,
      @ForAll @IntRange(min = 0, max = 1) int stride) {
    EncodeOptions o =
        EncodeOptions.defaults()
            .withTruncation(Truncation.longestFirst(maxLength).withStride(stride));
    // At least one token per sequence: with none, HF's overflow windows (the whole cut sequence
    // joined to the pair) may exceed maxLength, which we reproduce but do not assert here.
    int pairMax = Math.max(maxLength, 5);
    EncodeOptions po =
        EncodeOptions.defaults()
            .withTruncation(Truncation.longestFirst(pairMax).withStride(stride));
    Encoding e;
    try {
      e = BERT.encodePair(text, pair, po);
    } catch (IllegalArgumentException tooSmall) {
      // A pair may leave a sequence fewer tokens than the stride: refused, never looping.
      assertTrue(tooSmall.getMessage().contains("stride"), tooSmall.getMessage());
      assertTrue(stride > 0);
      return;
    }
    for (Encoding w : e.withAllWindows()) {
      assertTrue(w.length() <= pairMax, "window of " + w.length());
      assertOffsetsSane(w, text, pair);
    }
    Encoding g = GPT2.encode(text, o);
    int covered = 0;
    for (Encoding w : g.withAllWindows()) {
      assertTrue(w.length() <= maxLength);
      covered += w.length() - (w == g ? 0 : stride);
    }
    assertEquals(
        GPT2.encode(text).length(), covered, "windows cover every token once (plus stride)");
  }
}
