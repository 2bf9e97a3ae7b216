package io.lmserve.service.models;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: OpenAI's list shape, plus what lmserve knows about each model. */
@RestController
@Tag(name = "models", description = "The models this service serves")
class ModelsController {

  /** OpenAI's {@code {"object":"list","data":[...]}}. */
  record ModelList(String object, List<ModelInfo> data) {}

  /**
   * @param contextLength tokens one input may have; absent when unbounded
   * @param tokenizerFamily e.g. {@code gpt2-bpe}, {@code wordpiece}; absent until loaded
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelInfo(
      String id,
      String object,
      @JsonProperty("owned_by") String ownedBy,
      ModelKind kind,
      ModelState state,
      @JsonProperty("context_length") Integer contextLength,
      @JsonProperty("tokenizer_family") String tokenizerFamily,
      String description,
      @JsonProperty("default") boolean isDefault) {}

  private final ModelRegistry registry;

  ModelsController(ModelRegistry registry) {
    this.registry = registry;
  }

  @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Served models with their kind, state, context length and tokenizer")
  ModelList models() {
    String defaultModel = registry.defaultModel().orElse(null);
    List<ModelInfo> data =
        registry.names().stream()
            .map(
                name -> {
                  var loaded = registry.ifLoaded(name);
                  var entry = registry.entry(name);
                  return new ModelInfo(
                      name,
                      "model",
                      "lmserve",
                      entry.kind(),
                      registry.state(name),
                      loaded
                          .filter(m -> m.contextLength().isPresent())
                          .map(m -> m.contextLength().getAsInt())
                          .orElse(entry.contextLength()),
                      loaded.map(ServedModel::family).orElse(null),
                      entry.description(),
                      name.equals(defaultModel));
                })
            .toList();
    return new ModelList("list", data);
  }
}
