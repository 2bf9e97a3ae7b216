package io.lmserve.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.model.FakeModel;
import io.lmserve.generation.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private final FakeModel model = new FakeModel(50, 64, OptionalInt.empty());

  /** Greedy by hand: argmax of the model's logits after the prompt and every token so far. */
  private int[] greedyByHand(int[] prompt, int n) {
    List<Integer> tokens = new ArrayList<>();
    for (int t : prompt) {
      tokens.add(t);
    }
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      float[] logits = model.logitsAfter(tokens);
      int best = 0;
      for (int j = 1; j < logits.length; j++) {
        if (logits[j] > logits[best]) {
          best = j;
        }
      }
      out[i] = best;
      tokens.add(best);
    }
    return out;
  }

  @Test
  void greedyFollowsTheArgmaxAndEndsAtLength() {
    int[] prompt = {3, 1, 4};
    GenerationResult result =
        Generator.generate(model, GenerationRequest.ofIds(prompt, GenerationParams.greedy(10)));
    assertArrayEquals(greedyByHand(prompt, 10), result.tokenIds());
    assertEquals(FinishReason.LENGTH, result.reason());
    assertEquals(3, result.finished().usage().promptTokens());
    assertEquals(10, result.finished().usage().completionTokens());
    assertEquals(0, model.openSequences(), "the sequence is closed");
  }

  @Test
  void eosEndsTheGenerationAndIsReportedAsTheLastToken() {
    int[] prompt = {3, 1, 4};
    int[] greedy = greedyByHand(prompt, 10);
    FakeModel withEos = new FakeModel(50, 64, OptionalInt.of(greedy[4]));
    int firstEos = 0;
    while (greedy[firstEos] != greedy[4]) {
      firstEos++;
    }
    GenerationResult result =
        Generator.generate(withEos, GenerationRequest.ofIds(prompt, GenerationParams.greedy(10)));
    assertEquals(FinishReason.EOS, result.reason());
    assertArrayEquals(java.util.Arrays.copyOf(greedy, firstEos + 1), result.tokenIds());

    GenerationResult ignoring =
        Generator.generate(
            withEos,
            GenerationRequest.ofIds(prompt, GenerationParams.greedy(10).withStopAtEos(false)));
    assertArrayEquals(greedy, ignoring.tokenIds());
  }

  @Test
  void stopSequencesEndTheTextAndAreNeverEmitted() {
    // each token's text is its id as letters: 7 -> "h"; the stop spans token boundaries
    int[] prompt = {3, 1, 4};
    int[] greedy = greedyByHand(prompt, 12);
    StringBuilder full = new StringBuilder();
    for (int id : greedy) {
      full.append(textOf(id));
    }
    String stop = full.substring(5, 8); // tokens are 2 chars, so this spans two or three tokens
    GenerationRequest request =
        new GenerationRequest(
            prompt,
            GenerationParams.greedy(12).withStop(List.of(stop)),
            GeneratorTest::textOf,
            null);
    GenerationResult result = Generator.generate(model, request);
    assertEquals(FinishReason.STOP, result.reason());
    assertEquals(full.substring(0, full.indexOf(stop)), result.text());
    assertTrue(result.tokenIds().length <= 4 + 1);
  }

  private static String textOf(int id) {
    return "" + (char) ('a' + id / 26) + (char) ('a' + id % 26);
  }

  @Test
  void aFailingListenerEndsTheRequestWithAnError() {
    List<GenerationEvent> seen = new ArrayList<>();
    Generator.run(
        model,
        GenerationRequest.ofIds(new int[] {1}, GenerationParams.greedy(10)),
        event -> {
          seen.add(event);
          if (event instanceof TokenEvent t && t.index() == 2) {
            throw new IllegalStateException("client went away");
          }
        });
    assertEquals(4, seen.size());
    GenerationEvent.Finished finished = (GenerationEvent.Finished) seen.get(3);
    assertEquals(FinishReason.ERROR, finished.reason());
    assertTrue(finished.message().contains("client went away"));
    assertEquals(0, model.openSequences());
  }

  @Test
  void sameSeedSameTokens() {
    GenerationParams params =
        GenerationParams.DEFAULT
            .withMaxNewTokens(20)
            .withSampling(SamplingParams.DEFAULT.withTopK(10).withSeed(99L));
    int[] a = Generator.generate(model, GenerationRequest.ofIds(new int[] {1}, params)).tokenIds();
    int[] b = Generator.generate(model, GenerationRequest.ofIds(new int[] {1}, params)).tokenIds();
    assertArrayEquals(a, b);
  }

  @Test
  void contextLengthIsEnforcedOrThePromptTruncatedOnTheLeft() {
    int[] prompt = new int[60];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = i % 50;
    }
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                Generator.generate(
                    model, GenerationRequest.ofIds(prompt, GenerationParams.greedy(10))));
    assertEquals("prompt", e.field());

    GenerationResult result =
        Generator.generate(
            model,
            GenerationRequest.ofIds(
                prompt, GenerationParams.greedy(10).withTruncatePromptLeft(true)));
    assertEquals(54, result.finished().usage().promptTokens());
    assertArrayEquals(
        greedyByHand(java.util.Arrays.copyOfRange(prompt, 6, 60), 10), result.tokenIds());
  }

  @Test
  void badPromptIdsAndLimitsNameTheField() {
    assertEquals(
        "prompt",
        assertThrows(
                InvalidRequestException.class,
                () ->
                    Generator.generate(
                        model, GenerationRequest.ofIds(new int[] {50}, GenerationParams.greedy(1))))
            .field());
    assertEquals(
        "prompt",
        assertThrows(
                InvalidRequestException.class,
                () -> GenerationRequest.ofIds(new int[0], GenerationParams.greedy(1)))
            .field());
    assertEquals(
        "stop",
        assertThrows(
                InvalidRequestException.class,
                () ->
                    GenerationRequest.ofIds(
                        new int[] {1}, GenerationParams.greedy(1).withStop(List.of("x"))))
            .field());
  }
}
