package io.lmserve.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lmserve.generation.sampling.SamplingParams;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class GenerationParamsTest {

  private static String fieldOf(Supplier<?> build) {
    return assertThrows(InvalidRequestException.class, build::get).field();
  }

  @Test
  void samplingValuesOutOfRangeNameTheirField() {
    SamplingParams d = SamplingParams.DEFAULT;
    assertEquals("temperature", fieldOf(() -> d.withTemperature(-0.1)));
    assertEquals("temperature", fieldOf(() -> d.withTemperature(Double.NaN)));
    assertEquals("temperature", fieldOf(() -> d.withTemperature(Double.POSITIVE_INFINITY)));
    assertEquals("top_k", fieldOf(() -> d.withTopK(-1)));
    assertEquals("top_p", fieldOf(() -> d.withTopP(0)));
    assertEquals("top_p", fieldOf(() -> d.withTopP(1.01)));
    assertEquals("top_p", fieldOf(() -> d.withTopP(Double.NaN)));
    assertEquals("min_p", fieldOf(() -> d.withMinP(1)));
    assertEquals("repetition_penalty", fieldOf(() -> d.withRepetitionPenalty(0)));
    assertEquals("presence_penalty", fieldOf(() -> d.withPresencePenalty(2.5)));
    assertEquals("frequency_penalty", fieldOf(() -> d.withFrequencyPenalty(-3)));
  }

  @Test
  void generationValuesAndLimitsNameTheirField() {
    GenerationParams d = GenerationParams.DEFAULT;
    GenerationLimits limits = new GenerationLimits(100, 2, 5, 3, 10);
    assertEquals("max_new_tokens", fieldOf(() -> d.withMaxNewTokens(0)));
    assertEquals("stop", fieldOf(() -> d.withStop(List.of(""))));
    assertEquals("top_logprobs", fieldOf(() -> d.withTopLogprobs(-1)));
    assertEquals(
        "max_new_tokens",
        fieldOf(
            () -> {
              limits.check(d.withMaxNewTokens(101));
              return null;
            }));
    assertEquals(
        "stop",
        fieldOf(
            () -> {
              limits.check(d.withStop(List.of("a", "b", "c")));
              return null;
            }));
    assertEquals(
        "stop",
        fieldOf(
            () -> {
              limits.check(d.withStop(List.of("123456")));
              return null;
            }));
    assertEquals(
        "top_logprobs",
        fieldOf(
            () -> {
              limits.check(d.withTopLogprobs(4));
              return null;
            }));
    assertEquals(
        "prompt",
        fieldOf(
            () -> {
              limits.checkPrompt(String.join("", Collections.nCopies(11, "x")));
              return null;
            }));
    limits.check(d.withMaxNewTokens(100).withStop(List.of("12345", "b")).withTopLogprobs(3));
  }
}
