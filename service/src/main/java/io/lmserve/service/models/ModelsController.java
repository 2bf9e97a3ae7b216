package io.lmserve.service.models;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}. */
@RestController
@Tag(name = "models", description = "The models this service serves")
class ModelsController {

  private final ModelRegistry registry;

  ModelsController(ModelRegistry registry) {
    this.registry = registry;
  }

  @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Served models with their kind, state, context length and tokenizer")
  ModelInfo.Listing models() {
    return ModelInfo.of(registry);
  }
}
