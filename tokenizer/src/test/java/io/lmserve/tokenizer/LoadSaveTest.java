package io.lmserve.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadSaveTest {

  @TempDir Path dir;

  static final List<String> TEXTS =
      List.of("Hello, world!", "  Ünïcödé 中文 😀 text\t", "<|endoftext|> [SEP] [MASK]", "");

  static void assertSameEncodings(Tokenizer a, Tokenizer b) {
    for (String t : TEXTS) {
      assertEquals(a.encode(t), b.encode(t), t);
      assertEquals(
          a.encodePair(t, "pair", a.defaultOptions()), b.encodePair(t, "pair", b.defaultOptions()));
      int[] ids = a.encode(t).ids();
      assertEquals(a.decode(ids, true), b.decode(ids, true));
    }
    assertEquals(a.vocabSize(), b.vocabSize());
  }

  @Test
  void saveAndLoadRoundTrip() throws IOException {
    for (Tokenizer t : List.of(Reference.gpt2(), Reference.bert())) {
      Tokenizer withAdded = t.withAddedTokens(List.of(AddedToken.special("<extra>")));
      Path out = dir.resolve(t.family().orElseThrow());
      withAdded.save(out);
      assertTrue(Files.exists(out.resolve("tokenizer.json")));
      assertTrue(Files.exists(out.resolve("special_tokens_map.json")));
      assertTrue(Files.exists(out.resolve("tokenizer_config.json")));
      Tokenizer back = Tokenizer.load(out);
      assertSameEncodings(withAdded, back);
      assertEquals(withAdded.family(), back.family());
      // Native files: vocab.txt for WordPiece, vocab.json + merges.txt for BPE.
      Path nativeFile =
          out.resolve(t.family().get().equals("wordpiece") ? "vocab.txt" : "vocab.json");
      Tokenizer fromNative = Tokenizer.load(nativeFile);
      assertEquals(t.encode("Hello, world!"), fromNative.encode("Hello, world!"));
    }
  }

  @Test
  void nativeFilesEncodeLikeTokenizerJson() {
    assertSameEncodings(Reference.gpt2(), Reference.load("vocab/gpt2/vocab.json"));
    assertSameEncodings(
        Reference.bert(), Tokenizer.load(Reference.fixture("vocab/bert-base-uncased")));
    assertEquals("gpt2-bpe", Reference.gpt2().family().orElseThrow());
    assertEquals("wordpiece", Reference.bert().family().orElseThrow());
  }

  @Test
  void folderPrefersTokenizerJsonAndReadsConfig() throws IOException {
    Path folder = Reference.fixture("hf/bert-base-uncased");
    Tokenizer t = Tokenizer.load(folder);
    assertEquals("[PAD]", t.config().specialTokens().get("pad_token"));
    assertEquals(512, t.config().modelMaxLength());
  }

  @Test
  void casedVocabTxtFollowsTokenizerConfig() throws IOException {
    Files.copy(Reference.fixture("vocab/bert-base-uncased/vocab.txt"), dir.resolve("vocab.txt"));
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
    Tokenizer cased = Tokenizer.load(dir);
    assertEquals(
        "[UNK]", cased.encode("Hello").tokens()[1], "uppercase is not in the uncased vocab");
  }

  @Test
  void unknownComponentTypesNameTypeAndFile() throws IOException {
    String json = Files.readString(Reference.fixture("hf/gpt2/tokenizer.json"));
    for (String[] c :
        new String[][] {
          {"pre_tokenizer", "Fancy", "pre_tokenizer type 'Fancy'"},
          {"model", "Quantum", "model type 'Quantum'"},
          {"decoder", "Magic", "decoder type 'Magic'"},
        }) {
      Path file = dir.resolve("tokenizer.json");
      tools.jackson.databind.node.ObjectNode root =
          (tools.jackson.databind.node.ObjectNode) Reference.JSON.readTree(json);
      ((tools.jackson.databind.node.ObjectNode) root.get(c[0])).put("type", c[1]);
      Files.writeString(file, Reference.JSON.writeValueAsString(root));
      TokenizerFormatException e =
          assertThrows(TokenizerFormatException.class, () -> Tokenizer.load(file));
      assertTrue(e.getMessage().contains(c[2]), e.getMessage());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    Files.writeString(dir.resolve("tokenizer.json"), "{not json");
    TokenizerFormatException bad =
        assertThrows(TokenizerFormatException.class, () -> Tokenizer.load(dir));
    assertTrue(bad.getMessage().contains("invalid JSON"), bad.getMessage());
    assertThrows(TokenizerFormatException.class, () -> Tokenizer.load(dir.resolve("missing")));
  }
}
