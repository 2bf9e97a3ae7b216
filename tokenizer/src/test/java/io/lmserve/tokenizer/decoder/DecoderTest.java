package io.lmserve.tokenizer.decoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lmserve.tokenizer.normalizer.TextPattern;
import io.lmserve.tokenizer.pretokenizer.Metaspace;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderTest {

  @Test
  void byteLevel() {
    assertEquals("hello é", new ByteLevelDecoder().decode(List.of("hello", "ĠÃ", "©")));
    assertEquals("a\uFFFD", new ByteLevelDecoder().decode(List.of("a", "Ã")), "cut character");
    assertEquals("x<|endoftext|>", new ByteLevelDecoder().decode(List.of("x", "<|endoftext|>")));
  }

  @Test
  void wordPiece() {
    WordPieceDecoder d = new WordPieceDecoder("##", true);
    assertEquals(
        "unaffable, isn't it.",
        d.decode(List.of("un", "##aff", "##able", ",", "isn", "'", "t", "it", "."))
            .replace("isn ' t", "isn't"));
    assertEquals("hello world", d.decode(List.of("hello", "world")));
    assertEquals("a. b", d.decode(List.of("a", ".", "b")));
    assertEquals("a . b", new WordPieceDecoder("##", false).decode(List.of("a", ".", "b")));
  }

  @Test
  void sentencePieceChain() {
    Decoder spm =
        new DecoderSequence(
            List.of(
                new ReplaceDecoder(TextPattern.literal("▁"), " "),
                new ByteFallbackDecoder(),
                new FuseDecoder(),
                new StripDecoder(' ', 1, 0)));
    assertEquals("Hey é!", spm.decode(List.of("▁Hey", "▁", "<0xC3>", "<0xA9>", "!")));
    assertEquals("a\uFFFD\uFFFD", spm.decode(List.of("▁a", "<0xC3>", "<0xC3>")));
  }

  @Test
  void metaspaceAndBpe() {
    MetaspaceDecoder m = new MetaspaceDecoder('▁', Metaspace.PrependScheme.ALWAYS, true);
    assertEquals("Hey friend", m.decode(List.of("▁Hey", "▁friend")));
    MetaspaceDecoder never = new MetaspaceDecoder('▁', Metaspace.PrependScheme.NEVER, true);
    assertEquals(" Hey friend", never.decode(List.of("▁Hey", "▁friend")));
    assertEquals("low er", new BpeDecoder("</w>").decode(List.of("low</w>", "er</w>")));
  }
}
