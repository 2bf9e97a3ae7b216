package io.lmserve.service.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/tokenize} and {@code /v1/decode} against HF's outputs for the hand-made edge set
 * (../shared/fixtures/tokenizers/expected/edge): every line, GPT-2 and BERT.
 */
class TokenizeEndpointTest extends ServiceTest {

  @Test
  void gpt2TokenizeMatchesHfOnTheEdgeSet() throws IOException {
    assertThat(mismatches("gpt2", Golden.edge("gpt2"))).isEmpty();
  }

  @Test
  void bertTokenizeMatchesHfOnTheEdgeSet() throws IOException {
    assertThat(mismatches("bert-base-uncased", Golden.edge("bert"))).isEmpty();
  }

  // The references decoded GPT-2 with skip_special_tokens=True and BERT with False.
  @Test
  void gpt2DecodeMatchesHfOnTheEdgeSet() throws IOException {
    assertThat(decodeMismatches("gpt2", true, Golden.edge("gpt2"))).isEmpty();
  }

  @Test
  void bertDecodeMatchesHfOnTheEdgeSet() throws IOException {
    assertThat(decodeMismatches("bert-base-uncased", false, Golden.edge("bert"))).isEmpty();
  }

  private List<String> mismatches(String model, List<Golden> goldens) {
    List<String> wrong = new ArrayList<>();
    for (Golden golden : goldens) {
      TokenizeResponse got =
          post("/v1/tokenize", Map.of("model", model, "text", golden.text()))
              .expectStatus()
              .isOk()
              .expectBody(TokenizeResponse.class)
              .returnResult()
              .getResponseBody();
      if (!java.util.Arrays.equals(got.ids(), golden.ids())
          || !java.util.Arrays.equals(got.tokens(), golden.tokens())
          || !java.util.Arrays.deepEquals(got.offsets(), golden.offsets())
          || got.count() != golden.ids().length) {
        wrong.add(golden.text() + " -> " + java.util.Arrays.toString(got.tokens()));
      }
    }
    return wrong;
  }

  private List<String> decodeMismatches(String model, boolean skip, List<Golden> goldens) {
    List<String> wrong = new ArrayList<>();
    for (Golden golden : goldens) {
      DecodeResponse got =
          post(
                  "/v1/decode",
                  Map.of("model", model, "ids", golden.ids(), "skip_special_tokens", skip))
              .expectStatus()
              .isOk()
              .expectBody(DecodeResponse.class)
              .returnResult()
              .getResponseBody();
      if (!golden.decoded().equals(got.text())) {
        wrong.add(golden.decoded() + " != " + got.text());
      }
    }
    return wrong;
  }

  @Test
  void defaultModelIsUsedWhenNoneIsNamed() {
    post("/v1/tokenize", Map.of("text", "Hello world"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("gpt2")
        .jsonPath("$.ids")
        .isEqualTo(List.of(15496, 995));
  }

  @Test
  void offsetsComeInTheRequestedUnit() {
    // "é🙂 x": é is 1 code point/1 UTF-16 unit/2 bytes, 🙂 is 1 code point/2 units/4 bytes.
    String text = "é🙂 x";
    Map<String, List<List<Integer>>> lastToken =
        Map.of(
            "codepoint", List.of(List.of(2, 4)),
            "utf16", List.of(List.of(3, 5)),
            "utf8", List.of(List.of(6, 8)));
    lastToken.forEach(
        (unit, expected) ->
            post("/v1/tokenize", Map.of("model", "gpt2", "text", text, "offsets", unit))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.tokens[-1:]")
                .isEqualTo(List.of("Ġx"))
                .jsonPath("$.offsets[-1:]")
                .isEqualTo(expected));
  }

  @Test
  void specialTokensCanBeParsedIgnoredOrRejected() {
    String text = "a<|endoftext|>";
    post("/v1/tokenize", Map.of("model", "gpt2", "text", text))
        .expectBody()
        .jsonPath("$.ids[1]")
        .isEqualTo(50256);
    post("/v1/tokenize", Map.of("model", "gpt2", "text", text, "special_tokens", "ignore"))
        .expectBody()
        .jsonPath("$.ids")
        .value(List.class, ids -> assertThat(ids).doesNotContain(50256).hasSizeGreaterThan(2));
    post("/v1/tokenize", Map.of("model", "gpt2", "text", text, "special_tokens", "reject"))
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .isEqualTo("text");
  }

  @Test
  void bertWithoutSpecialTokens() {
    post(
            "/v1/tokenize",
            Map.of(
                "model", "bert-base-uncased", "text", "Hello world", "add_special_tokens", false))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.tokens")
        .isEqualTo(List.of("hello", "world"))
        .jsonPath("$.offsets")
        .isEqualTo(List.of(List.of(0, 5), List.of(6, 11)));
  }

  @Test
  void aNullRowOfIdsBatchIsA400NamingIt() {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("ids_batch", java.util.Arrays.asList(List.of(101), null));
    io.lmserve.service.Problems.fieldProblem(post("/v1/decode", body), 400, "ids_batch[1]");
  }

  @Test
  void decodeBatchAndSkippingSpecialTokens() {
    post(
            "/v1/decode",
            Map.of(
                "model",
                "bert-base-uncased",
                "ids_batch",
                List.of(List.of(101, 7592, 2088, 102), List.of(101, 102)),
                "skip_special_tokens",
                true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.texts")
        .isEqualTo(List.of("hello world", ""))
        .jsonPath("$.text")
        .doesNotExist();
  }
}
