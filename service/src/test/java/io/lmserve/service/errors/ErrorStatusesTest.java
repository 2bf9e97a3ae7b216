package io.lmserve.service.errors;

import static io.lmserve.service.Problems.problem;
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
    problem(post("/v1/tokenize", Map.of("model", "gpt-9", "text", "hi")), 404)
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
    problem(post("/v1/tokenize", Map.of("text", "x".repeat(200_001))), 413)
        .jsonPath("$.field")
        .isEqualTo("text")
        .jsonPath("$.limit")
        .isEqualTo(200_000);
  }

  @Test
  void batchOverTheLimitIs413() {
    problem(post("/v1/encode", Map.of("texts", Collections.nCopies(257, "a"))), 413)
        .jsonPath("$.field")
        .isEqualTo("texts")
        .jsonPath("$.limit")
        .isEqualTo(256);
  }

  @Test
  void answersThatWouldMultiplyAreRefusedBeforeAnyWork() {
    // 256 rows padded to 65536 tokens, or a window per token of a long text: 413, not an OOM.
    problem(
            post(
                "/v1/encode",
                Map.of(
                    "texts",
                    Collections.nCopies(256, "a"),
                    "padding",
                    "max_length",
                    "max_length",
                    65536)),
            413)
        .jsonPath("$.field")
        .isEqualTo("max_length")
        .jsonPath("$.limit")
        .isEqualTo(1_048_576);
    problem(
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
                    true)),
            413)
        .jsonPath("$.field")
        .isEqualTo("stride");
  }

  @Test
  void bodyOverTheLimitIs413() {
    String body = "{\"texts\":[\"" + "x".repeat(5 * 1024 * 1024) + "\"]}";
    problem(post("/v1/encode", body), 413)
        .jsonPath("$.field")
        .isEqualTo("request body")
        .jsonPath("$.limit")
        .isEqualTo(4 * 1024 * 1024);
  }

  @Test
  void tooManyIdsIs413() {
    problem(post("/v1/decode", Map.of("ids", new int[262_145])), 413)
        .jsonPath("$.field")
        .isEqualTo("ids");
  }

  @Test
  void idOutsideTheVocabularyIs400() {
    problem(post("/v1/decode", Map.of("ids", List.of(15496, 50257))), 400)
        .jsonPath("$.field")
        .isEqualTo("ids[1]");
    problem(post("/v1/decode", Map.of("ids_batch", List.of(List.of(1), List.of(2, -1)))), 400)
        .jsonPath("$.field")
        .isEqualTo("ids_batch[1][1]");
  }

  @Test
  void idsMustBeIntegers() {
    problem(post("/v1/decode", "{\"ids\":[1, 2.5]}"), 400).jsonPath("$.field").isEqualTo("ids[1]");
    problem(post("/v1/decode", "{\"ids\":[\"7\"]}"), 400).jsonPath("$.field").isEqualTo("ids[0]");
  }

  @Test
  void missingTextIs400() {
    problem(post("/v1/tokenize", Map.of("model", "gpt2")), 400)
        .jsonPath("$.field")
        .isEqualTo("text");
    problem(post("/v1/decode", Map.of("model", "gpt2")), 400).jsonPath("$.field").isEqualTo("ids");
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
    problem(post("/v1/tokenize", "{\"text\":"), 400)
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
