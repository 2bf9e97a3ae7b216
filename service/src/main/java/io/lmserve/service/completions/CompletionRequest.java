package io.lmserve.service.completions;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.sampling.SamplingParams;
import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.service.generate.GenerationCall;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's {@code POST /v1/completions} request, as far as one model and one choice go. Fields
 * OpenAI has and lmserve does not (e.g. {@code logit_bias}, {@code best_of}) are ignored like any
 * unknown field; those it cannot honour ({@code n > 1}, {@code echo}) are a 400.
 *
 * @param prompt a string, or a list holding one string
 * @param maxTokens tokens to generate at most (16)
 * @param stop a string or a list of strings
 * @param logprobs when given, each token reports its logprob and this many alternatives
 */
public record CompletionRequest(
    @Schema(example = "gpt-kjv") String model,
    @NotNull @Schema(example = "In the beginning", type = "string") JsonNode prompt,
    @JsonProperty("max_tokens") Integer maxTokens,
    Double temperature,
    @JsonProperty("top_p") Double topP,
    Integer n,
    Boolean stream,
    @JsonProperty("stream_options") StreamOptions streamOptions,
    @Schema(type = "string") JsonNode stop,
    Long seed,
    Integer logprobs,
    @JsonProperty("presence_penalty") Double presencePenalty,
    @JsonProperty("frequency_penalty") Double frequencyPenalty,
    Boolean echo,
    String user) {

  static final int DEFAULT_MAX_TOKENS = 16;

  /** The library's names of OpenAI's fields. */
  static final Map<String, String> WIRE_NAMES =
      Map.of("max_new_tokens", "max_tokens", "top_logprobs", "logprobs");

  /**
   * @param includeUsage send a last chunk with the usage before {@code [DONE]}
   */
  public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {}

  boolean streaming() {
    return Boolean.TRUE.equals(stream);
  }

  boolean includeUsage() {
    return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
  }

  boolean wantsLogprobs() {
    return logprobs != null;
  }

  GenerationCall call() {
    if (n != null && n != 1) {
      throw new InvalidFieldException("n", "only 1 choice per request is supported, got " + n);
    }
    if (Boolean.TRUE.equals(echo)) {
      throw new InvalidFieldException("echo", "echoing the prompt is not supported");
    }
    String text = promptText();
    List<String> stops = stops();
    GenerationParams params =
        io.lmserve.service.generate.WireChecks.checked(
            WIRE_NAMES,
            () ->
                new GenerationParams(
                    maxTokens != null ? maxTokens : DEFAULT_MAX_TOKENS,
                    new SamplingParams(
                        temperature != null ? temperature : 1.0,
                        0,
                        topP != null ? topP : 1.0,
                        0,
                        1,
                        presencePenalty != null ? presencePenalty : 0,
                        frequencyPenalty != null ? frequencyPenalty : 0,
                        seed),
                    stops,
                    logprobs != null ? logprobs : 0,
                    true,
                    false));
    return new GenerationCall(model, text, params, WIRE_NAMES);
  }

  private String promptText() {
    if (prompt.isString()) {
      return prompt.asString();
    }
    if (prompt.isArray() && prompt.size() == 1) {
      if (!prompt.get(0).isString()) {
        throw new InvalidFieldException("prompt[0]", "must be a string");
      }
      return prompt.get(0).asString();
    }
    throw new InvalidFieldException(
        "prompt",
        prompt.isArray()
            ? "one prompt per request: a list must hold exactly one string, got " + prompt.size()
            : "must be a string or a list with one string");
  }

  private List<String> stops() {
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isString()) {
      return List.of(stop.asString());
    }
    if (!stop.isArray()) {
      throw new InvalidFieldException("stop", "must be a string or a list of strings");
    }
    List<String> stops = new ArrayList<>();
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isString()) {
        throw new InvalidFieldException("stop[" + i + "]", "must be a string");
      }
      stops.add(stop.get(i).asString());
    }
    return stops;
  }
}
