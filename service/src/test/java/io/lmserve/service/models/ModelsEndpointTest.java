package io.lmserve.service.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import io.lmserve.service.TinyServedModels;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelsEndpointTest extends ServiceTest {

  private JsonNode model(JsonNode listing, String id) {
    for (JsonNode model : listing.get("data")) {
      if (model.get("id").asString().equals(id)) {
        return model;
      }
    }
    throw new AssertionError("no model " + id + " in " + listing);
  }

  @Test
  void listsTheConfiguredModelsInOpenAiShape() {
    byte[] body =
        client
            .get()
            .uri("/v1/models")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode listing = JsonMapper.shared().readTree(body);
    assertThat(listing.get("object").asString()).isEqualTo("list");

    JsonNode gpt2 = model(listing, "gpt2");
    assertThat(gpt2.get("object").asString()).isEqualTo("model");
    assertThat(gpt2.get("kind").asString()).isEqualTo("tokenizer");
    assertThat(gpt2.get("state").asString()).isEqualTo("ready");
    assertThat(gpt2.get("context_length").asInt()).isEqualTo(1024);
    assertThat(gpt2.get("tokenizer_family").asString()).isEqualTo("gpt2-bpe");
    assertThat(gpt2.get("default").asBoolean()).isTrue();

    JsonNode bert = model(listing, "bert-base-uncased");
    assertThat(bert.get("context_length").asInt()).isEqualTo(512);
    assertThat(bert.get("tokenizer_family").asString()).isEqualTo("wordpiece");
    assertThat(bert.get("default").asBoolean()).isFalse();

    JsonNode causal = model(listing, TinyServedModels.GPT2);
    assertThat(causal.get("kind").asString()).isEqualTo("causal-lm");
    assertThat(causal.get("context_length").asInt()).isEqualTo(128);
    JsonNode masked = model(listing, TinyServedModels.BERT);
    assertThat(masked.get("kind").asString()).isEqualTo("masked-lm");
    assertThat(masked.get("state").asString()).isEqualTo("ready");
  }
}
