package io.lmserve.tokenizer.pretokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.tokenizer.normalizer.IntPairs;
import io.lmserve.tokenizer.normalizer.NormalizedString;
import io.lmserve.tokenizer.normalizer.TextPattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

  /** Pieces as "text@start-end" in original offsets. */
  static List<String> pieces(PreTokenizer p, String text) {
    List<NormalizedString> out = new ArrayList<>();
    p.preTokenize(NormalizedString.of(text), out);
    List<String> shown = new ArrayList<>();
    for (NormalizedString s : out) {
      shown.add(s.normalized() + "@" + s.originalStart() + "-" + s.originalEnd());
    }
    return shown;
  }

  static Split split(SplitBehavior b) {
    return new Split(TextPattern.literal("-"), b, false);
  }

  @Test
  void splitBehaviours() {
    String text = "a-b--c";
    assertEquals(List.of("a@0-1", "b@2-3", "c@5-6"), pieces(split(SplitBehavior.REMOVED), text));
    assertEquals(
        List.of("a@0-1", "-@1-2", "b@2-3", "-@3-4", "-@4-5", "c@5-6"),
        pieces(split(SplitBehavior.ISOLATED), text));
    assertEquals(
        List.of("a-@0-2", "b-@2-4", "-@4-5", "c@5-6"),
        pieces(split(SplitBehavior.MERGED_WITH_PREVIOUS), text));
    assertEquals(
        List.of("a@0-1", "-b@1-3", "-@3-4", "-c@4-6"),
        pieces(split(SplitBehavior.MERGED_WITH_NEXT), text));
    assertEquals(
        List.of("a@0-1", "-@1-2", "b@2-3", "--@3-5", "c@5-6"),
        pieces(split(SplitBehavior.CONTIGUOUS), text));
    assertEquals(
        List.of("-@1-2", "--@3-5"),
        pieces(new Split(TextPattern.regex("[a-z]"), SplitBehavior.REMOVED, false), text));
    assertEquals(
        List.of("a@0-1", "b@2-3", "c@5-6"),
        pieces(new Split(TextPattern.regex("[a-z]"), SplitBehavior.REMOVED, true), text));
  }

  @Test
  void gpt2PatternMatchesTheRegexAlternatives() {
    IntPairs m = new IntPairs();
    String s = "I'm  here's 123abc!?  \n x";
    Gpt2Pattern.findMatches(s, m);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) {
      parts.add(s.substring(m.first(i), m.second(i)));
    }
    assertEquals(List.of("I", "'m", " ", " here", "'s", " 123", "abc", "!?", "  \n", " x"), parts);
  }

  @Test
  void whitespaceFamily() {
    assertEquals(
        List.of("Hey@0-3", "friend!@5-12"), pieces(new WhitespaceSplit(), "Hey  friend! "));
    assertEquals(
        List.of("Hey@0-3", "friend@4-10", "!?@10-12", "x_1@13-16"),
        pieces(new Whitespace(), "Hey friend!? x_1"));
    assertEquals(List.of("a@0-1", "1@1-2", "2@2-3", "b@3-4"), pieces(new Digits(true), "a12b"));
    assertEquals(List.of("a@0-1", "12@1-3", "b@3-4"), pieces(new Digits(false), "a12b"));
    assertEquals(
        List.of("a@0-1", ",@1-2", "b@2-3"), pieces(new Punctuation(SplitBehavior.ISOLATED), "a,b"));
    assertEquals(
        List.of("hi@0-2", "!@2-3", "!@3-4", "you@5-8"), pieces(new BertPreTokenizer(), "hi!! you"));
  }

  @Test
  void metaspace() {
    Metaspace always = new Metaspace('▁', Metaspace.PrependScheme.ALWAYS, true);
    assertEquals(List.of("▁Hey@0-3", "▁friend@3-10"), pieces(always, "Hey friend"));
    Metaspace never = new Metaspace('▁', Metaspace.PrependScheme.NEVER, false);
    assertEquals(List.of("Hey▁friend@0-10"), pieces(never, "Hey friend"));
  }

  @Test
  void byteLevel() {
    assertEquals(
        List.of("Ġhello@0-5", "ĠÃ©@5-7"), pieces(new ByteLevel(true, true, true), "hello é"));
    assertEquals(List.of("a@0-1", "Ġb@1-3"), pieces(new ByteLevel(false, true, true), "a b"));
    assertEquals(List.of("aĠb@0-3"), pieces(new ByteLevel(false, true, false), "a b"));
  }
}
