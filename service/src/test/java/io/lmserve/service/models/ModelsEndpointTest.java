package io.lmserve.service.models;

import io.lmserve.service.ServiceTest;
import org.junit.jupiter.api.Test;

class ModelsEndpointTest extends ServiceTest {

  @Test
  void listsTheConfiguredModelsInOpenAiShape() {
    client
        .get()
        .uri("/v1/models")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.object")
        .isEqualTo("list")
        .jsonPath("$.data[0].id")
        .isEqualTo("gpt2")
        .jsonPath("$.data[0].object")
        .isEqualTo("model")
        .jsonPath("$.data[0].kind")
        .isEqualTo("tokenizer")
        .jsonPath("$.data[0].state")
        .isEqualTo("ready")
        .jsonPath("$.data[0].context_length")
        .isEqualTo(1024)
        .jsonPath("$.data[0].tokenizer_family")
        .isEqualTo("gpt2-bpe")
        .jsonPath("$.data[0].default")
        .isEqualTo(true)
        .jsonPath("$.data[1].id")
        .isEqualTo("bert-base-uncased")
        .jsonPath("$.data[1].context_length")
        .isEqualTo(512)
        .jsonPath("$.data[1].tokenizer_family")
        .isEqualTo("wordpiece")
        .jsonPath("$.data[1].default")
        .isEqualTo(false);
  }
}
