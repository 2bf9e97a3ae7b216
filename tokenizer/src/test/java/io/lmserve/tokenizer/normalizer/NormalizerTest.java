package io.lmserve.tokenizer.normalizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {

  /** "text|start-end,start-end…": the normalized text and each unit's original range. */
  static String show(NormalizedString s) {
    StringBuilder sb = new StringBuilder(s.normalized()).append('|');
    for (int i = 0; i < s.length(); i++) {
      sb.append(i == 0 ? "" : ",").append(s.alignStart(i)).append('-').append(s.alignEnd(i));
    }
    return sb.toString();
  }

  static String run(Normalizer n, String text) {
    return show(n.normalize(NormalizedString.of(text)));
  }

  @Test
  void lowercaseIsPerCodePoint() {
    assertEquals("σσ|0-1,1-2", run(new Lowercase(), "ΣΣ"), "no final sigma");
    assertEquals("i̇x|0-1,0-1,1-2", run(new Lowercase(), "İx"), "İ lowercases to two code points");
  }

  @Test
  void nfdAndNfcKeepAlignment() {
    UnicodeNormalizer nfd = new UnicodeNormalizer(UnicodeNormalizer.Form.NFD);
    assertEquals("e\u0301a|0-1,0-1,1-2", run(nfd, "éa"));
    UnicodeNormalizer nfc = new UnicodeNormalizer(UnicodeNormalizer.Form.NFC);
    assertEquals(
        "éa|0-1,2-3", run(nfc, "e\u0301a"), "a composed char keeps its first part's range");
    UnicodeNormalizer nfkc = new UnicodeNormalizer(UnicodeNormalizer.Form.NFKC);
    assertEquals("fi|0-1,0-1", run(nfkc, "ﬁ"));
    assertEquals("😀|0-2,0-2", run(nfkc, "😀"));
  }

  @Test
  void stripAccentsStripPrependReplace() {
    NormalizerSequence nfdStrip =
        new NormalizerSequence(
            List.of(new UnicodeNormalizer(UnicodeNormalizer.Form.NFD), new StripAccents()));
    assertEquals("cafe|0-1,1-2,2-3,3-4", run(nfdStrip, "café"));
    assertEquals("ab|2-3,3-4", run(new Strip(true, true), "  ab \t"));
    assertEquals("ab  |2-3,3-4,4-5,5-6", run(new Strip(true, false), "  ab  "));
    assertEquals("▁ab|0-1,0-1,1-2", run(new Prepend("▁"), "ab"));
    assertEquals("", run(new Prepend("▁"), "").replace("|", ""));
    assertEquals("a▁b|0-1,1-2,2-3", run(new Replace(TextPattern.literal(" "), "▁"), "a b"));
    assertEquals("aXb|0-1,3-4,4-5", run(new Replace(TextPattern.regex("\\s+"), "X"), "a  \tb"));
  }

  @Test
  void bertNormalizer() {
    BertNormalizer bert = new BertNormalizer(true, true, null, true);
    assertEquals(" 中 a|0-1,0-1,0-1,2-3", run(bert, "中\u0000A"));
    assertEquals("a b|0-1,1-2,2-3", run(bert, "A\tB"));
    assertEquals("ab|0-1,2-3", run(bert, "A\u200BB"), "format characters are dropped");
    BertNormalizer cased = new BertNormalizer(true, false, false, false);
    assertEquals("Éa|0-1,1-2", run(cased, "Éa"));
  }
}
