package io.lmserve.service.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The error statuses of the real endpoints with the configured limits (config/application.yml):
 * every answer is problem+json naming what is wrong. 503 is in ModelLoadingTest, 429 in
 * ProblemHandlerTest.
 */
class ErrorStatusesTest extends ServiceTest {

  @Test
  void unknownModelIs404() {
    post("/v1/tokenize", Map.of("model", "gpt-9", "text", "hi"))
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("gpt-9")
        .jsonPath("$.served_models")
        .value(List.class, served -> assertThat(served).contains("gpt2", "bert-base-uncased"));
  }

  @Test
  void aPathIsNotAModelName() {
    post("/v1/tokenize", Map.of("model", "/etc/passwd", "text", "hi")).expectStatus().isNotFound();
    post("/v1/tokenize", Map.of("model", "models/tokenizers/gpt2", "text", "hi"))
        .expectStatus()
        .isNotFound();
  }

  @Test
  void textOverTheLimitIs413() {
    post("/v1/tokenize", Map.of("text", "x".repeat(200_001)))
        .expectStatus()
        .isEqualTo(413)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("text")
        .jsonPath("$.limit")
        .isEqualTo(200_000);
  }

  @Test
  void batchOverTheLimitIs413() {
    post("/v1/encode", Map.of("texts", Collections.nCopies(257, "a")))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("texts")
        .jsonPath("$.limit")
        .isEqualTo(256);
  }

  @Test
  void answersThatWouldMultiplyAreRefusedBeforeAnyWork() {
    // 256 rows padded to 65536 tokens, or a window per token of a long text: 413, not an OOM.
    post(
            "/v1/encode",
            Map.of(
                "texts",
                Collections.nCopies(256, "a"),
                "padding",
                "max_length",
                "max_length",
                65536))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("max_length")
        .jsonPath("$.limit")
        .isEqualTo(1_048_576);
    post(
            "/v1/encode",
            Map.of(
                "text",
                "word ".repeat(40_000),
                "max_length",
                512,
                "stride",
                511,
                "return_overflowing",
                true))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("stride");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String body = "{\"texts\":[\"" + "x".repeat(5 * 1024 * 1024) + "\"]}";
    post("/v1/encode", body)
        .expectStatus()
        .isEqualTo(413)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("request body")
        .jsonPath("$.limit")
        .isEqualTo(4 * 1024 * 1024);
  }

  @Test
  void tooManyIdsIs413() {
    post("/v1/decode", Map.of("ids", new int[262_145]))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids");
  }

  @Test
  void idOutsideTheVocabularyIs400() {
    post("/v1/decode", Map.of("ids", List.of(15496, 50257)))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids[1]");
    post("/v1/decode", Map.of("ids_batch", List.of(List.of(1), List.of(2, -1))))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids_batch[1][1]");
  }

  @Test
  void idsMustBeIntegers() {
    post("/v1/decode", "{\"ids\":[1, 2.5]}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids[1]");
    post("/v1/decode", "{\"ids\":[\"7\"]}")
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids[0]");
  }

  @Test
  void missingTextIs400() {
    post("/v1/tokenize", Map.of("model", "gpt2"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("text");
    post("/v1/decode", Map.of("model", "gpt2"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("ids");
  }

  @Test
  void missingBodyIs400() {
    client
        .post()
        .uri("/v1/tokenize")
        .contentType(MediaType.APPLICATION_JSON)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void malformedJsonIs400() {
    post("/v1/tokenize", "{\"text\":")
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).startsWith("malformed JSON"));
  }

  @Test
  void unknownPathIs404ProblemJson() {
    client
        .get()
        .uri("/v1/nothing-here")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }
}
