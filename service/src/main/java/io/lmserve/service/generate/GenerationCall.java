package io.lmserve.service.generate;

import io.lmserve.generation.GenerationParams;
import java.util.Map;

/**
 * One generation as an endpoint asks for it, in the library's terms.
 *
 * @param model the requested model; null for the default causal-lm
 * @param prompt the prompt text
 * @param params what to generate; built from the request (its value checks already passed)
 * @param wireNames the endpoint's spelling of the library's field names where they differ (e.g.
 *     {@code max_new_tokens} → {@code max_tokens} for OpenAI's completions), so every error names
 *     the field the client sent
 */
public record GenerationCall(
    String model, String prompt, GenerationParams params, Map<String, String> wireNames) {

  public GenerationCall {
    wireNames = Map.copyOf(wireNames);
  }

  /** The client's name of a library field. */
  public String wireName(String field) {
    return wireNames.getOrDefault(field, field);
  }
}
