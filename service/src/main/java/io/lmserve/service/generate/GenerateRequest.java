package io.lmserve.service.generate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.sampling.SamplingParams;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/generate} and {@code /v1/generate/stream}. Absent fields take the defaults below;
 * the generation library checks the values and the service the limits.
 *
 * @param model a causal-lm's name; {@code lmserve.default-generation-model} when absent
 * @param maxNewTokens tokens to generate at most, EOS included (64)
 * @param temperature 0 is greedy (1.0)
 * @param stop text that ends the generation, never part of it
 * @param logprobs how many most likely alternatives each token reports, 0..20 (0)
 * @param truncatePrompt drop the prompt's oldest tokens when prompt plus max_new_tokens exceed the
 *     context, instead of answering 422 (false)
 * @param ignoreEos keep generating through the model's end-of-sequence token (false)
 */
public record GenerateRequest(
    @Schema(example = "gpt-kjv") String model,
    @NotNull @Schema(example = "In the beginning") String prompt,
    @JsonProperty("max_new_tokens") Integer maxNewTokens,
    Double temperature,
    @JsonProperty("top_k") Integer topK,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("min_p") Double minP,
    @JsonProperty("repetition_penalty") Double repetitionPenalty,
    @JsonProperty("presence_penalty") Double presencePenalty,
    @JsonProperty("frequency_penalty") Double frequencyPenalty,
    List<@NotNull String> stop,
    Long seed,
    Integer logprobs,
    @JsonProperty("truncate_prompt") Boolean truncatePrompt,
    @JsonProperty("ignore_eos") Boolean ignoreEos) {

  static final int DEFAULT_MAX_NEW_TOKENS = 64;

  /** The library's name of {@code logprobs}. */
  static final Map<String, String> WIRE_NAMES = Map.of("top_logprobs", "logprobs");

  GenerationCall call() {
    return new GenerationCall(
        model, prompt, WireChecks.checked(WIRE_NAMES, this::params), WIRE_NAMES);
  }

  private GenerationParams params() {
    SamplingParams sampling =
        new SamplingParams(
            or(temperature, 1.0),
            or(topK, 0),
            or(topP, 1.0),
            or(minP, 0.0),
            or(repetitionPenalty, 1.0),
            or(presencePenalty, 0.0),
            or(frequencyPenalty, 0.0),
            seed);
    return new GenerationParams(
        or(maxNewTokens, DEFAULT_MAX_NEW_TOKENS),
        sampling,
        stop == null ? List.of() : stop,
        or(logprobs, 0),
        !or(ignoreEos, false),
        or(truncatePrompt, false));
  }

  static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
