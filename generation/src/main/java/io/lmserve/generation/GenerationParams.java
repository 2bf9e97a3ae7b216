package io.lmserve.generation;

import static io.lmserve.generation.InvalidRequestException.require;

import io.lmserve.generation.sampling.SamplingParams;
import java.util.List;

/**
 * What a generation request asks for besides its prompt. Checked here for values that are wrong for
 * any server; {@link GenerationLimits#check} adds the bounds a deployment chooses.
 *
 * @param maxNewTokens how many tokens to generate at most (the EOS token included); >= 1
 * @param sampling how each token is chosen
 * @param stop text sequences that end the generation; never part of the output
 * @param topLogprobs how many most likely alternatives each token event reports; >= 0
 * @param stopAtEos end at the model's EOS token (false: keep going until another limit)
 * @param truncatePromptLeft drop the prompt's oldest tokens when prompt plus maxNewTokens exceed
 *     the model's context, instead of rejecting the request
 */
public record GenerationParams(
    int maxNewTokens,
    SamplingParams sampling,
    List<String> stop,
    int topLogprobs,
    boolean stopAtEos,
    boolean truncatePromptLeft) {

  public static final GenerationParams DEFAULT =
      new GenerationParams(64, SamplingParams.DEFAULT, List.of(), 0, true, false);

  public GenerationParams {
    require(maxNewTokens >= 1, "max_new_tokens", "must be >= 1, got " + maxNewTokens);
    require(sampling != null, "sampling", "must be given");
    require(stop != null, "stop", "must be a list (possibly empty)");
    stop = List.copyOf(stop);
    for (String s : stop) {
      require(!s.isEmpty(), "stop", "stop sequences must not be empty");
    }
    require(topLogprobs >= 0, "top_logprobs", "must be >= 0, got " + topLogprobs);
  }

  public static GenerationParams greedy(int maxNewTokens) {
    return DEFAULT.withMaxNewTokens(maxNewTokens).withSampling(SamplingParams.GREEDY);
  }

  public GenerationParams withMaxNewTokens(int value) {
    return new GenerationParams(value, sampling, stop, topLogprobs, stopAtEos, truncatePromptLeft);
  }

  public GenerationParams withSampling(SamplingParams value) {
    return new GenerationParams(
        maxNewTokens, value, stop, topLogprobs, stopAtEos, truncatePromptLeft);
  }

  public GenerationParams withStop(List<String> value) {
    return new GenerationParams(
        maxNewTokens, sampling, value, topLogprobs, stopAtEos, truncatePromptLeft);
  }

  public GenerationParams withTopLogprobs(int value) {
    return new GenerationParams(maxNewTokens, sampling, stop, value, stopAtEos, truncatePromptLeft);
  }

  public GenerationParams withStopAtEos(boolean value) {
    return new GenerationParams(
        maxNewTokens, sampling, stop, topLogprobs, value, truncatePromptLeft);
  }

  public GenerationParams withTruncatePromptLeft(boolean value) {
    return new GenerationParams(maxNewTokens, sampling, stop, topLogprobs, stopAtEos, value);
  }
}
