package io.lmserve.service.generate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.Usage;
import io.lmserve.generation.sampling.TokenLogprob;
import io.lmserve.tokenizer.Tokenizer;
import java.util.List;

/**
 * The answer of {@code POST /v1/generate}.
 *
 * @param finishReason {@code length}, {@code stop} or {@code eos}
 */
public record GenerateResponse(
    String model,
    String text,
    List<Token> tokens,
    @JsonProperty("finish_reason") String finishReason,
    UsageBody usage) {

  /**
   * One generated token (also the data of a stream's {@code token} event).
   *
   * @param text the text this token adds: whole characters, possibly "" (see the service README)
   * @param topLogprobs the most likely alternatives, when {@code logprobs} asked for them
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Token(
      int id,
      String text,
      float logprob,
      @JsonProperty("top_logprobs") List<Alternative> topLogprobs) {

    static Token of(TokenEvent event, Tokenizer tokenizer, boolean withAlternatives) {
      return new Token(
          event.tokenId(),
          event.text(),
          event.logprob(),
          withAlternatives
              ? event.top().stream().map(top -> Alternative.of(top, tokenizer)).toList()
              : null);
    }
  }

  /** An alternative token at one position, spelt as it decodes alone. */
  public record Alternative(int id, String text, float logprob) {
    static Alternative of(TokenLogprob top, Tokenizer tokenizer) {
      return new Alternative(
          top.id(), tokenizer.decode(new int[] {top.id()}, false), top.logprob());
    }
  }

  /**
   * @param timeToFirstTokenMs from arrival at the scheduler (queueing included); null without
   *     tokens
   * @param tokensPerSecond decoding speed after the first token
   */
  public record UsageBody(
      @JsonProperty("prompt_tokens") int promptTokens,
      @JsonProperty("completion_tokens") int completionTokens,
      @JsonProperty("total_tokens") int totalTokens,
      @JsonProperty("time_to_first_token_ms") Double timeToFirstTokenMs,
      @JsonProperty("tokens_per_second") double tokensPerSecond) {

    static UsageBody of(Usage usage) {
      return new UsageBody(
          usage.promptTokens(),
          usage.completionTokens(),
          usage.promptTokens() + usage.completionTokens(),
          usage.timeToFirstToken() == null
              ? null
              : usage.timeToFirstToken().toNanos() / 1_000_000.0,
          usage.tokensPerSecond());
    }
  }

  /** The data of a stream's final {@code done} event. */
  public record Done(
      @JsonProperty("finish_reason") String finishReason, String text, UsageBody usage) {}
}
