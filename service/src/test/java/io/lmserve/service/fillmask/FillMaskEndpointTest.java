package io.lmserve.service.fillmask;

import static io.lmserve.service.Problems.fieldProblem;
import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.generation.fillmask.FillMaskParams;
import io.lmserve.generation.fillmask.MaskPrediction;
import io.lmserve.service.ServiceTest;
import io.lmserve.service.TinyServedModels;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/fill-mask} on the tiny BERT (whose 1000 ids hold bert-base-uncased's special tokens
 * and "!"): HF's pipeline shapes, the library's own answer, and the refusals.
 */
class FillMaskEndpointTest extends ServiceTest {

  private JsonNode fill(Map<String, Object> body) {
    return JsonMapper.shared()
        .readTree(
            post("/v1/fill-mask", body)
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
  }

  @Test
  void oneMaskIsAListOfCandidatesEqualToTheLibrary() {
    JsonNode candidates = fill(Map.of("text", "! [MASK] !", "top_k", 4));
    List<MaskPrediction> expected =
        registry
            .require(TinyServedModels.BERT)
            .fillMasking()
            .fillMask()
            .fill("! [MASK] !", FillMaskParams.topK(4))
            .getFirst();
    assertThat(candidates).hasSize(4);
    for (int i = 0; i < 4; i++) {
      JsonNode c = candidates.get(i);
      assertThat(List.copyOf(c.propertyNames()))
          .containsExactly("score", "token", "token_str", "sequence");
      assertThat(c.get("token").asInt()).isEqualTo(expected.get(i).token());
      assertThat(c.get("score").floatValue()).isEqualTo(expected.get(i).score());
      assertThat(c.get("token_str").asString()).isEqualTo(expected.get(i).tokenStr());
      assertThat(c.get("sequence").asString()).isEqualTo(expected.get(i).sequence());
    }
  }

  @Test
  void severalMasksAndSeveralTextsNestAsHfDoes() {
    JsonNode two = fill(Map.of("text", "[MASK] ! [MASK]", "top_k", 2));
    assertThat(two).hasSize(2);
    assertThat(two.get(1)).hasSize(2);
    assertThat(two.get(1).get(0).has("score")).isTrue();

    JsonNode texts = fill(Map.of("texts", List.of("! [MASK]", "[MASK] ! [MASK]")));
    assertThat(texts).hasSize(2);
    assertThat(texts.get(0)).hasSize(5); // default top_k
    assertThat(texts.get(0).get(0).has("token_str")).isTrue();
    assertThat(texts.get(1)).hasSize(2);
    assertThat(texts.get(1).get(0)).hasSize(5);
  }

  @Test
  void targetsRestrictTheCandidates() {
    JsonNode candidates = fill(Map.of("text", "! [MASK] !", "targets", List.of("!", "[SEP]")));
    assertThat(candidates).hasSize(2);
    assertThat(
            List.of(candidates.get(0).get("token").asInt(), candidates.get(1).get("token").asInt()))
        .containsExactlyInAnyOrder(999, 102);
  }

  @Test
  void refusalsNameTheField() {
    fieldProblem(post("/v1/fill-mask", Map.of("text", "no mask here !")), 400, "text");
    fieldProblem(post("/v1/fill-mask", Map.of("texts", List.of("[MASK]", "!"))), 400, "texts[1]");
    fieldProblem(
        post("/v1/fill-mask", Map.of("text", "[MASK]", "texts", List.of("[MASK]"))), 400, "text");
    fieldProblem(post("/v1/fill-mask", Map.of()), 400, "text");
    fieldProblem(post("/v1/fill-mask", Map.of("text", "[MASK]", "top_k", 0)), 400, "top_k");
    fieldProblem(post("/v1/fill-mask", Map.of("text", "[MASK]", "top_k", 101)), 413, "top_k");
    fieldProblem(
        post("/v1/fill-mask", Map.of("texts", Collections.nCopies(33, "[MASK]"))), 413, "texts");
    fieldProblem(
        post("/v1/fill-mask", Map.of("text", "[MASK]" + "!".repeat(200_000))), 413, "text");
    problem(post("/v1/fill-mask", Map.of("text", "[MASK]" + " !".repeat(200))), 422)
        .jsonPath("$.context_length")
        .isEqualTo(128);
    fieldProblem(
        post("/v1/fill-mask", Map.of("model", TinyServedModels.GPT2, "text", "[MASK]")),
        400,
        "model");
    problem(post("/v1/fill-mask", Map.of("model", "roberta", "text", "<mask>")), 404);
  }
}
