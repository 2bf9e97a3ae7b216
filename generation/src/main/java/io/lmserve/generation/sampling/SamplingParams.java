package io.lmserve.generation.sampling;

import static io.lmserve.generation.InvalidRequestException.require;

/**
 * How the next token is chosen from the logits, with HF transformers' semantics and order:
 * repetition penalty, then presence/frequency penalties (OpenAI's), then temperature, top-k, top-p,
 * min-p. A temperature of 0 means greedy (argmax after the penalties).
 *
 * @param temperature 0 for greedy, else the divisor of the logits; finite, at most 100
 * @param topK keep the k most likely tokens; 0 disables
 * @param topP nucleus: keep the smallest set of most likely tokens whose mass reaches p; in (0,1]
 * @param minP drop tokens whose probability is below minP times the top token's; in [0,1)
 * @param repetitionPenalty HF: logits of tokens seen in prompt or output are divided by it when
 *     positive and multiplied when negative; 1 disables; in (0, 10]
 * @param presencePenalty OpenAI: subtracted once from tokens that occur in the output; in [-2,2]
 * @param frequencyPenalty OpenAI: subtracted per occurrence in the output; in [-2,2]
 * @param seed makes sampling reproducible; null draws a fresh seed per request
 */
public record SamplingParams(
    double temperature,
    int topK,
    double topP,
    double minP,
    double repetitionPenalty,
    double presencePenalty,
    double frequencyPenalty,
    Long seed) {

  public static final SamplingParams GREEDY = new SamplingParams(0, 0, 1, 0, 1, 0, 0, null);
  public static final SamplingParams DEFAULT = new SamplingParams(1, 0, 1, 0, 1, 0, 0, null);

  public SamplingParams {
    require(
        Double.isFinite(temperature) && temperature >= 0 && temperature <= 100,
        "temperature",
        "must be finite, >= 0 and <= 100, got " + temperature);
    require(topK >= 0, "top_k", "must be >= 0 (0 disables), got " + topK);
    require(topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
    require(minP >= 0 && minP < 1, "min_p", "must be in [0, 1), got " + minP);
    require(
        repetitionPenalty > 0 && repetitionPenalty <= 10,
        "repetition_penalty",
        "must be in (0, 10] (1 disables), got " + repetitionPenalty);
    require(
        presencePenalty >= -2 && presencePenalty <= 2,
        "presence_penalty",
        "must be in [-2, 2], got " + presencePenalty);
    require(
        frequencyPenalty >= -2 && frequencyPenalty <= 2,
        "frequency_penalty",
        "must be in [-2, 2], got " + frequencyPenalty);
  }

  public boolean greedy() {
    return temperature == 0;
  }

  public SamplingParams withTemperature(double value) {
    return new SamplingParams(
        value, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, seed);
  }

  public SamplingParams withTopK(int value) {
    return new SamplingParams(
        temperature, value, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, seed);
  }

  public SamplingParams withTopP(double value) {
    return new SamplingParams(
        temperature, topK, value, minP, repetitionPenalty, presencePenalty, frequencyPenalty, seed);
  }

  public SamplingParams withMinP(double value) {
    return new SamplingParams(
        temperature, topK, topP, value, repetitionPenalty, presencePenalty, frequencyPenalty, seed);
  }

  public SamplingParams withRepetitionPenalty(double value) {
    return new SamplingParams(
        temperature, topK, topP, minP, value, presencePenalty, frequencyPenalty, seed);
  }

  public SamplingParams withPresencePenalty(double value) {
    return new SamplingParams(
        temperature, topK, topP, minP, repetitionPenalty, value, frequencyPenalty, seed);
  }

  public SamplingParams withFrequencyPenalty(double value) {
    return new SamplingParams(
        temperature, topK, topP, minP, repetitionPenalty, presencePenalty, value, seed);
  }

  public SamplingParams withSeed(Long value) {
    return new SamplingParams(
        temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, value);
  }
}
