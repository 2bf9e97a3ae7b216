package io.lmserve.tokenizer;

import static io.lmserve.testkit.RandomCases.forAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lmserve.tokenizer.EncodeOptions.SpecialTokens;
import io.lmserve.tokenizer.pretokenizer.ByteLevel;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code encodeIds(text, options)} must be {@code encode(text, options).ids()} for every pipeline
 * and option: on the reference sets, on random Unicode, and on byte-level variants that take every
 * branch of its dedicated path (prefix space, no regex, stripped and single-word added tokens).
 */
class EncodeIdsTest {

  static Stream<String> tokenizers() {
    return Stream.of(
        "hf/gpt2/tokenizer.json",
        "vocab/gpt2",
        "hf/bert-base-uncased/tokenizer.json",
        "spm/unigram8k.model",
        "spm/bpe8k_llama.model",
        "hf/spm-unigram8k/tokenizer.json",
        "hf/spm-bpe8k_llama/tokenizer.json",
        "gpt2 prefix space",
        "gpt2 no regex",
        "gpt2 odd added tokens");
  }

  static Tokenizer tokenizer(String name) {
    Tokenizer gpt2 = Reference.gpt2();
    return switch (name) {
      case "gpt2 prefix space" ->
          gpt2.toBuilder().preTokenizer(new ByteLevel(true, true, true)).build();
      case "gpt2 no regex" ->
          gpt2.toBuilder().preTokenizer(new ByteLevel(false, false, false)).build();
      case "gpt2 odd added tokens" ->
          gpt2.withAddedTokens(
              List.of(
                  new AddedToken("[SEP]", false, true, true, false, true),
                  new AddedToken("hello", true, false, false, true, false),
                  new AddedToken(" world", false, false, true, true, false),
                  AddedToken.special("'s")));
      default -> Reference.load(name);
    };
  }

  static final List<EncodeOptions> OPTIONS =
      List.of(
          EncodeOptions.defaults(),
          EncodeOptions.defaults().withAddSpecialTokens(false),
          EncodeOptions.defaults().withSpecialTokens(SpecialTokens.IGNORE));

  static void assertSameIds(Tokenizer t, String text) {
    for (EncodeOptions o : OPTIONS) {
      assertArrayEquals(t.encode(text, o).ids(), t.encodeIds(text, o), () -> o + ": " + text);
    }
    EncodeOptions reject = EncodeOptions.defaults().withSpecialTokens(SpecialTokens.REJECT);
    try {
      int[] expected = t.encode(text, reject).ids();
      assertArrayEquals(expected, t.encodeIds(text, reject), text);
    } catch (IllegalArgumentException e) {
      IllegalArgumentException fast =
          assertThrows(IllegalArgumentException.class, () -> t.encodeIds(text, reject));
      assertEquals(e.getMessage(), fast.getMessage());
    }
  }

  @ParameterizedTest
  @MethodSource("tokenizers")
  void sameIdsAsFullEncodingsOnReferenceTexts(String name) {
    Tokenizer t = tokenizer(name);
    // Words recur across lines, so most of them come from the word cache after their first use.
    for (String set : List.of("edge", "heldout")) {
      for (String[] text : texts(set)) {
        assertSameIds(t, text[0]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("tokenizers")
  void sameIdsAsFullEncodingsOnRandomUnicode(String name) {
    Tokenizer t = tokenizer(name);
    forAll(0x1D5_0001L + name.hashCode(), 200, UnicodeTexts.any(), text -> assertSameIds(t, text));
  }

  @ParameterizedTest
  @MethodSource("tokenizers")
  void truncationAndPaddingTakeTheFullPath(String name) {
    Tokenizer t = tokenizer(name);
    EncodeOptions o =
        EncodeOptions.defaults()
            .withTruncation(EncodeOptions.Truncation.longestFirst(5))
            .withPadding(EncodeOptions.Padding.toLength(8));
    String text = "Hello world, this is a longer sentence than five tokens.";
    assertArrayEquals(t.encode(text, o).ids(), t.encodeIds(text, o));
  }

  private static List<String[]> texts(String set) {
    return switch (set) {
      case "edge" -> Reference.jsonlTexts(Reference.fixture("corpus/edge.jsonl"));
      default -> Reference.lines(Reference.fixture("corpus/spm_heldout.txt"));
    };
  }
}
