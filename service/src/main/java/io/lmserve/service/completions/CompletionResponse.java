package io.lmserve.service.completions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.FinishReason;
import io.lmserve.generation.Usage;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's {@code text_completion} object: the whole answer, or one chunk of a stream (then {@code
 * choices[0].text} is the new text, {@code finish_reason} is null until the last chunk, and a usage
 * chunk has no choices).
 *
 * @param id {@code cmpl-...}, the same in every chunk of a stream
 * @param created seconds since the epoch
 * @param usage always in a whole answer; in a stream only in the usage chunk
 */
public record CompletionResponse(
    String id,
    String object,
    long created,
    String model,
    List<Choice> choices,
    @JsonInclude(JsonInclude.Include.NON_NULL) UsageBody usage) {

  /**
   * @param logprobs null unless the request asked for them
   * @param finishReason {@code stop} (EOS or a stop sequence) or {@code length}; null in the chunks
   *     before the last
   */
  public record Choice(
      String text,
      int index,
      Logprobs logprobs,
      @JsonProperty("finish_reason") String finishReason) {}

  /**
   * OpenAI's legacy logprobs: per token its text, logprob, the most likely alternatives (text →
   * logprob; the chosen token always among them) and where its text starts in the completion.
   */
  public record Logprobs(
      List<String> tokens,
      @JsonProperty("token_logprobs") List<Float> tokenLogprobs,
      @JsonProperty("top_logprobs") List<Map<String, Float>> topLogprobs,
      @JsonProperty("text_offset") List<Integer> textOffset) {}

  public record UsageBody(
      @JsonProperty("prompt_tokens") int promptTokens,
      @JsonProperty("completion_tokens") int completionTokens,
      @JsonProperty("total_tokens") int totalTokens) {

    static UsageBody of(Usage usage) {
      return new UsageBody(
          usage.promptTokens(),
          usage.completionTokens(),
          usage.promptTokens() + usage.completionTokens());
    }
  }

  /** OpenAI knows two endings: EOS and stop sequences are both {@code stop}. */
  static String finishReason(FinishReason reason) {
    return reason == FinishReason.LENGTH ? "length" : "stop";
  }
}
