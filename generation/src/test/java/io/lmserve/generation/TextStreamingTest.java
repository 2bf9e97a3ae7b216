package io.lmserve.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.model.ScriptedModel;
import io.lmserve.testkit.SharedData;
import io.lmserve.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed text with the real GPT-2 tokenizer: byte-level tokens that split characters. */
class TextStreamingTest {

  private static final String TEXT = "Héllo wörld 😀 — naïve café 日本語 ok";
  private static Tokenizer gpt2;
  private static int eos;

  @BeforeAll
  static void load() {
    gpt2 = Tokenizer.load(SharedData.path("fixtures/tokenizers/hf/gpt2/tokenizer.json"));
    eos = gpt2.tokenToId("<|endoftext|>").orElseThrow();
  }

  private static GenerationResult generate(String text, GenerationParams params) {
    int[] script = gpt2.encode(text).ids();
    int[] withEos = Arrays.copyOf(script, script.length + 1);
    withEos[script.length] = eos;
    ScriptedModel model = new ScriptedModel(gpt2.vocabSize(), withEos, OptionalInt.of(eos));
    TextPrompts prompts = new TextPrompts(gpt2, GenerationLimits.DEFAULT, OptionalInt.of(eos));
    return Generator.generate(model, prompts.request("Prompt:", params, null));
  }

  @Test
  void theScriptSplitsCharactersAcrossTokens() {
    // the premise of the next test: some token's own bytes are not whole UTF-8 characters
    boolean split = false;
    for (int id : gpt2.encode(TEXT).ids()) {
      split |= gpt2.decode(new int[] {id}, false).contains("\uFFFD");
    }
    assertTrue(split);
  }

  @Test
  void streamedTextIsExactAndNeverSplitsACharacter() {
    GenerationResult result = generate(TEXT, GenerationParams.greedy(100));
    assertEquals(FinishReason.EOS, result.reason());
    assertEquals(TEXT, result.text());
    for (TokenEvent token : result.tokens()) {
      assertFalse(token.text().contains("\uFFFD"), token.toString());
      String t = token.text();
      assertFalse(
          !t.isEmpty()
              && (Character.isLowSurrogate(t.charAt(0))
                  || Character.isHighSurrogate(t.charAt(t.length() - 1))),
          "a surrogate pair is split: " + token);
    }
  }

  @Test
  void stopSequencesAcrossMultiByteTokensCutTheTextExactly() {
    for (String stop : List.of("wörld", "😀", "é 日", "ok", "l")) {
      GenerationResult result =
          generate(TEXT, GenerationParams.greedy(100).withStop(List.of(stop)));
      assertEquals(FinishReason.STOP, result.reason(), stop);
      assertEquals(TEXT.substring(0, TEXT.indexOf(stop)), result.text(), stop);
    }
  }

  @Test
  void heldBackTextIsReleasedWhenTheLengthLimitEndsTheGeneration() {
    int tokens = gpt2.encode("Héllo wör").ids().length;
    GenerationResult result =
        generate(TEXT, GenerationParams.greedy(tokens).withStop(List.of("wörlds")));
    assertEquals(FinishReason.LENGTH, result.reason());
    assertEquals(gpt2.decode(Arrays.copyOf(gpt2.encode(TEXT).ids(), tokens), true), result.text());
  }

  @Test
  void endingInsideACharacterReleasesWhatDecodeGives() {
    // "😀" is four bytes spread over several byte-level tokens; stop after the first
    int[] ids = gpt2.encode("😀").ids();
    assertTrue(ids.length > 1);
    GenerationResult result = generate("😀", GenerationParams.greedy(1));
    assertEquals(FinishReason.LENGTH, result.reason());
    assertEquals(gpt2.decode(new int[] {ids[0]}, true), result.text());
  }

  @Test
  void emptyPromptFallsBackToBos() {
    TextPrompts prompts = new TextPrompts(gpt2, GenerationLimits.DEFAULT, OptionalInt.of(eos));
    assertEquals(
        List.of(eos),
        Arrays.stream(prompts.request("", GenerationParams.greedy(1), null).promptIds())
            .boxed()
            .toList());
  }
}
