package io.lmserve.generation;

import static io.lmserve.generation.InvalidRequestException.require;

/**
 * The bounds a deployment puts on what callers control, so no request can ask for unbounded work or
 * memory.
 *
 * @param maxNewTokens largest {@code max_new_tokens} accepted
 * @param maxStopSequences most stop sequences per request
 * @param maxStopLength longest stop sequence, in UTF-16 chars
 * @param maxTopLogprobs most alternatives per token
 * @param maxPromptChars longest prompt text, checked before tokenizing it
 */
public record GenerationLimits(
    int maxNewTokens,
    int maxStopSequences,
    int maxStopLength,
    int maxTopLogprobs,
    int maxPromptChars) {

  public static final GenerationLimits DEFAULT = new GenerationLimits(4096, 16, 256, 20, 1 << 20);

  public GenerationLimits {
    if (maxNewTokens < 1
        || maxStopSequences < 0
        || maxStopLength < 1
        || maxTopLogprobs < 0
        || maxPromptChars < 1) {
      throw new IllegalArgumentException("generation limits must be positive: " + this);
    }
  }

  /** Rejects parameters beyond these limits, naming the field. */
  public void check(GenerationParams params) {
    require(
        params.maxNewTokens() <= maxNewTokens,
        "max_new_tokens",
        "must be <= " + maxNewTokens + ", got " + params.maxNewTokens());
    require(
        params.stop().size() <= maxStopSequences,
        "stop",
        "at most " + maxStopSequences + " stop sequences, got " + params.stop().size());
    for (String stop : params.stop()) {
      require(
          stop.length() <= maxStopLength,
          "stop",
          "stop sequences must be at most " + maxStopLength + " chars, got " + stop.length());
    }
    require(
        params.topLogprobs() <= maxTopLogprobs,
        "top_logprobs",
        "must be <= " + maxTopLogprobs + ", got " + params.topLogprobs());
  }

  /** Rejects a prompt text longer than the limit before any tokenization work. */
  public void checkPrompt(String prompt) {
    require(prompt != null, "prompt", "must be given");
    require(
        prompt.length() <= maxPromptChars,
        "prompt",
        "must be at most " + maxPromptChars + " chars, got " + prompt.length());
  }
}
