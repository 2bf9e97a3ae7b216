package io.lmserve.service.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of {@code GET /v1/models}: OpenAI's model object plus what lmserve knows.
 *
 * @param contextLength tokens one input may have; absent when unbounded
 * @param tokenizerFamily e.g. {@code gpt2-bpe}, {@code wordpiece}; absent until loaded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInfo(
    String id,
    String object,
    @JsonProperty("owned_by") String ownedBy,
    ModelKind kind,
    ModelState state,
    @JsonProperty("context_length") Integer contextLength,
    @JsonProperty("tokenizer_family") String tokenizerFamily,
    String description,
    @JsonProperty("default") boolean isDefault) {

  /** OpenAI's {@code {"object":"list","data":[...]}}. */
  public record Listing(String object, List<ModelInfo> data) {}

  /** Every configured model, in configuration order, as it stands now. */
  static Listing of(ModelRegistry registry) {
    String defaultModel = registry.defaultModel().orElse(null);
    return new Listing(
        "list",
        registry.names().stream()
            .map(name -> of(registry, name, name.equals(defaultModel)))
            .toList());
  }

  private static ModelInfo of(ModelRegistry registry, String name, boolean isDefault) {
    var entry = registry.entry(name);
    var loaded = registry.ifLoaded(name);
    Integer context =
        loaded
            .filter(m -> m.contextLength().isPresent())
            .map(m -> m.contextLength().getAsInt())
            .orElse(entry.contextLength());
    return new ModelInfo(
        name,
        "model",
        "lmserve",
        entry.kind(),
        registry.state(name),
        context,
        loaded.map(ServedModel::family).orElse(null),
        entry.description(),
        isDefault);
  }
}
