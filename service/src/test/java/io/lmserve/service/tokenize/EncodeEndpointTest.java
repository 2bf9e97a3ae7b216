package io.lmserve.service.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /v1/encode}: HF's BatchEncoding shape, padding, truncation windows, pairs, word ids. */
class EncodeEndpointTest extends ServiceTest {

  private static final String BERT = "bert-base-uncased";

  @Test
  void singleTextGivesFlatRows() {
    post("/v1/encode", Map.of("model", BERT, "text", "Hello world"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(List.of(101, 7592, 2088, 102))
        .jsonPath("$.token_type_ids")
        .isEqualTo(List.of(0, 0, 0, 0))
        .jsonPath("$.attention_mask")
        .isEqualTo(List.of(1, 1, 1, 1))
        .jsonPath("$.offset_mapping")
        .doesNotExist()
        .jsonPath("$.overflow_to_sample_mapping")
        .doesNotExist();
  }

  @Test
  void batchPaddedToTheLongest() {
    post(
            "/v1/encode",
            Map.of("model", BERT, "texts", List.of("Hello world", "Hi"), "padding", true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(List.of(List.of(101, 7592, 2088, 102), List.of(101, 7632, 102, 0)))
        .jsonPath("$.attention_mask")
        .isEqualTo(List.of(List.of(1, 1, 1, 1), List.of(1, 1, 1, 0)));
  }

  @Test
  void paddingToMaxLengthWithMasksOffsetsAndWordIds() {
    post(
            "/v1/encode",
            Map.of(
                "model",
                BERT,
                "text",
                "Hello world",
                "padding",
                "max_length",
                "max_length",
                6,
                "return_offsets",
                true,
                "return_word_ids",
                true,
                "return_special_tokens_mask",
                true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(List.of(101, 7592, 2088, 102, 0, 0))
        .jsonPath("$.special_tokens_mask")
        .isEqualTo(List.of(1, 0, 0, 1, 1, 1))
        .jsonPath("$.offset_mapping")
        .isEqualTo(
            List.of(
                List.of(0, 0),
                List.of(0, 5),
                List.of(6, 11),
                List.of(0, 0),
                List.of(0, 0),
                List.of(0, 0)))
        .jsonPath("$.word_ids")
        .isEqualTo(Arrays.asList(null, 0, 1, null, null, null));
  }

  @Test
  void truncationWithStrideReturnsOverflowingWindows() {
    post(
            "/v1/encode",
            Map.of(
                "model",
                BERT,
                "text",
                "a b c d e f",
                "max_length",
                5,
                "truncation",
                true,
                "stride",
                1,
                "return_overflowing",
                true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(
            List.of(
                List.of(101, 1037, 1038, 1039, 102),
                List.of(101, 1039, 1040, 1041, 102),
                List.of(101, 1041, 1042, 102)))
        .jsonPath("$.overflow_to_sample_mapping")
        .isEqualTo(List.of(0, 0, 0));
  }

  @Test
  void maxLengthAloneTruncatesAsInHf() {
    post("/v1/encode", Map.of("model", BERT, "text", "a b c d e f", "max_length", 4))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(List.of(101, 1037, 1038, 102));
  }

  @Test
  void pairsGetTypeIds() {
    post("/v1/encode", Map.of("model", BERT, "text", "Hello world", "text_pair", "Hi"))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids")
        .isEqualTo(List.of(101, 7592, 2088, 102, 7632, 102))
        .jsonPath("$.token_type_ids")
        .isEqualTo(List.of(0, 0, 0, 0, 1, 1));
  }

  @Test
  void batchOfPairsPaddedTogether() {
    post(
            "/v1/encode",
            Map.of(
                "model",
                BERT,
                "texts",
                List.of("Hello world", "Hi"),
                "text_pairs",
                List.of("Hi", "Hi"),
                "padding",
                "longest",
                "return_offsets",
                true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids[1]")
        .isEqualTo(List.of(101, 7632, 102, 7632, 102, 0))
        .jsonPath("$.token_type_ids[1]")
        .isEqualTo(List.of(0, 0, 0, 1, 1, 0))
        .jsonPath("$.offset_mapping[0][4]")
        .isEqualTo(List.of(0, 2));
  }

  @Test
  void longerThanTheContextWithoutTruncationIs422() {
    String text = String.join("", Collections.nCopies(1100, " a"));
    post("/v1/encode", Map.of("model", "gpt2", "text", text))
        .expectStatus()
        .isEqualTo(422)
        .expectBody()
        .jsonPath("$.context_length")
        .isEqualTo(1024)
        .jsonPath("$.tokens")
        .isEqualTo(1100);
    post("/v1/encode", Map.of("model", "gpt2", "text", text, "truncation", true))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.input_ids.length()")
        .isEqualTo(1024);
  }

  @Test
  void tokenizeCountsLongTextsWithoutAContextLimit() {
    String text = String.join("", Collections.nCopies(1100, " a"));
    post("/v1/tokenize", Map.of("model", "gpt2", "text", text))
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.count")
        .isEqualTo(1100);
  }

  @Test
  void inconsistentFieldsAreNamed() {
    Map<String, Object> both = new HashMap<>(Map.of("model", BERT, "text", "a"));
    both.put("texts", List.of("b"));
    expectField(both, "text");
    expectField(
        Map.of("model", BERT, "texts", List.of("a", "b"), "text_pairs", List.of("c")),
        "text_pairs");
    expectField(Map.of("model", BERT, "text", "a", "stride", 2), "stride");
    expectField(
        Map.of("model", BERT, "text", "a", "truncation", true, "max_length", 4, "stride", 4),
        "stride");
    expectField(Map.of("model", BERT, "text", "a", "padding", "sideways"), "padding");
    expectField(Map.of("model", BERT, "texts", List.of("a", 5)), "texts[1]");
    expectField(Map.of("model", BERT, "text", "a", "max_length", "ten"), "max_length");
    expectField(Map.of("model", BERT, "text", "a", "max_length", 0), "max_length");
  }

  private void expectField(Map<String, Object> body, String field) {
    post("/v1/encode", body)
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.field")
        .value(String.class, f -> assertThat(f).as(body.toString()).isEqualTo(field));
  }
}
