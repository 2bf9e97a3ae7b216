package io.lmserve.tokenizer.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.tokenizer.EncodeOptions;
import io.lmserve.tokenizer.Encoding;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.tokenizer.pretokenizer.ByteAlphabet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenizerTrainerTest {

  private static final int LINES = 2000;

  @TempDir Path dir;

  private static TrainedTokenizer train(TrainerType type, int vocabSize, int threads) {
    TrainingOptions options =
        TrainingOptions.builder(type, vocabSize).threads(threads).byteFallback(true).build();
    return TokenizerTrainer.train(TrainingCorpora.slice(LINES), options, TrainingProgress.NONE);
  }

  private static Map<String, byte[]> files(Path folder) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path file : list.toList()) {
        files.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    }
    return files;
  }

  @ParameterizedTest
  @EnumSource(TrainerType.class)
  void sameCorpusAndOptionsGiveByteIdenticalFilesWhateverTheThreads(TrainerType type)
      throws IOException {
    int vocab = type == TrainerType.BYTE_BPE || type == TrainerType.SENTENCEPIECE_BPE ? 1500 : 1000;
    train(type, vocab, 1).save(dir.resolve("a"));
    train(type, vocab, 2).save(dir.resolve("b"));
    Map<String, byte[]> a = files(dir.resolve("a"));
    Map<String, byte[]> b = files(dir.resolve("b"));
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.containsKey("tokenizer.json"), a.keySet().toString());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name), b.get(name), name + " differs between two runs");
    }
  }

  @Test
  void byteLevelBpeHasEveryByteAndRoundTripsAnyText() throws IOException {
    TrainedTokenizer trained = train(TrainerType.BYTE_BPE, 1000, 2);
    assertEquals(1000, trained.vocabulary().size());
    assertEquals("<|endoftext|>", trained.vocabulary().get(0));
    for (int b = 0; b < 256; b++) {
      assertTrue(
          trained.vocabulary().contains(String.valueOf(ByteAlphabet.charOf(b))), "byte " + b);
    }
    trained.save(dir);
    assertTrue(Files.exists(dir.resolve("vocab.json")) && Files.exists(dir.resolve("merges.txt")));
    Tokenizer tokenizer = Tokenizer.load(dir);
    for (String text :
        List.of("And God said, Let there be light", "naïve 中文 🙂 <|endoftext|>", " \t\r\n x")) {
      Encoding encoding = tokenizer.encode(text, EncodeOptions.defaults());
      assertEquals(text, tokenizer.decode(encoding.ids(), false));
    }
    assertEquals(
        List.of(0), toList(tokenizer.encode("<|endoftext|>", EncodeOptions.defaults()).ids()));
  }

  @Test
  void wordPieceStartsWithItsSpecialTokensAndWrapsTextInClsSep() throws IOException {
    TrainedTokenizer trained = train(TrainerType.WORDPIECE, 1000, 2);
    assertEquals(
        List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"), trained.vocabulary().subList(0, 5));
    assertTrue(trained.vocabulary().stream().anyMatch(t -> t.startsWith("##")));
    trained.save(dir);
    List<String> vocabTxt = Files.readAllLines(dir.resolve("vocab.txt"));
    assertEquals(trained.vocabulary(), vocabTxt);
    Tokenizer tokenizer = Tokenizer.load(dir);
    Encoding encoding = tokenizer.encode("And God SAID", EncodeOptions.defaults());
    assertEquals("[CLS]", encoding.tokens()[0]);
    assertEquals("[SEP]", encoding.tokens()[encoding.tokens().length - 1]);
    assertEquals("and god said", tokenizer.decode(encoding.ids(), true));
  }

  @Test
  void classicBpeMarksWordEndsAndDecodesToSpacedWords() throws IOException {
    TrainedTokenizer trained = train(TrainerType.BPE, 1000, 2);
    assertTrue(trained.vocabulary().contains("the</w>"), "the</w> is a whole token");
    trained.save(dir);
    Tokenizer tokenizer = Tokenizer.load(dir);
    Encoding encoding = tokenizer.encode("And the earth", EncodeOptions.defaults());
    assertEquals("And the earth", tokenizer.decode(encoding.ids(), false));
    assertTrue(encoding.tokens()[encoding.tokens().length - 1].endsWith("</w>"));
  }

  @Test
  void sentencePieceBpeUsesMetaspaceAndByteFallback() throws IOException {
    TrainedTokenizer trained = train(TrainerType.SENTENCEPIECE_BPE, 1500, 2);
    assertEquals(List.of("<unk>", "<s>", "</s>", "<0x00>"), trained.vocabulary().subList(0, 4));
    assertTrue(trained.vocabulary().contains("\u2581the"));
    for (String token : trained.vocabulary()) {
      assertFalse(token.indexOf('\u2581', 1) > 0, token + " has ▁ inside");
    }
    trained.save(dir);
    Tokenizer tokenizer = Tokenizer.load(dir);
    String text = "And God said 中";
    Encoding encoding = tokenizer.encode(text, EncodeOptions.defaults());
    assertTrue(
        List.of(encoding.tokens()).contains("<0xE4>"), List.of(encoding.tokens()).toString());
    assertEquals(text, tokenizer.decode(encoding.ids(), false));
  }

  @Test
  void unigramWritesScoredPiecesWithTheRequiredCharacters() throws IOException {
    TrainedTokenizer trained = train(TrainerType.UNIGRAM, 1000, 2);
    assertEquals(1000, trained.vocabulary().size());
    assertEquals(List.of("<unk>", "<s>", "</s>", "<0x00>"), trained.vocabulary().subList(0, 4));
    trained.save(dir);
    Tokenizer ready = trained.asTokenizer().orElseThrow();
    Tokenizer loaded = Tokenizer.load(dir);
    for (String text : List.of("And God said, Let there be light", "", "  中 ö x  ")) {
      assertEquals(loaded.encode(text), ready.encode(text), text);
    }
    List<String> lines = Files.readAllLines(dir.resolve("unigram.vocab"));
    assertEquals(1000, lines.size());
    double previous = 0;
    for (String line : lines.subList(259, lines.size())) {
      double score = Double.parseDouble(line.substring(line.indexOf('\t') + 1));
      assertTrue(score <= previous && score < 0, line);
      previous = score;
    }
    for (int cp : new int[] {'a', 'e', 'T', ',', '\u2581'}) {
      assertTrue(trained.vocabulary().contains(Character.toString(cp)), Character.toString(cp));
    }
    assertTrue(Files.readString(dir.resolve("tokenizer.json")).contains("\"type\" : \"Unigram\""));
  }

  @Test
  void summaryReportsTheRun() {
    TrainingSummary summary = train(TrainerType.SENTENCEPIECE_BPE, 1500, 1).summary();
    assertEquals(1500, summary.vocabSize());
    assertEquals(LINES, summary.lines());
    assertTrue(summary.characterCoverage() >= 0.9995 && summary.characterCoverage() <= 1);
    assertTrue(
        summary.toString().startsWith("spm-bpe: vocab 1500, 2000 lines"), summary.toString());
  }

  private static List<Integer> toList(int[] ids) {
    return java.util.Arrays.stream(ids).boxed().toList();
  }
}
