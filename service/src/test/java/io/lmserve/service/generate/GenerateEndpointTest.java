package io.lmserve.service.generate;

import static io.lmserve.service.Problems.fieldProblem;
import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationResult;
import io.lmserve.generation.Generator;
import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.sampling.SamplingParams;
import io.lmserve.service.ServiceTest;
import io.lmserve.service.SseFrames;
import io.lmserve.service.TinyServedModels;
import io.lmserve.service.models.Inference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/generate} and {@code /v1/generate/stream} on the tiny GPT-2: answers equal the
 * generation library run directly on the same model, the stream is exactly framed and adds up to
 * the whole answer, and every refusal is problem+json naming the field.
 */
class GenerateEndpointTest extends ServiceTest {

  private static final JsonMapper JSON = JsonMapper.shared();

  private JsonNode generate(Map<String, Object> body) {
    return postForJson("/v1/generate", body);
  }

  private SseFrames stream(Map<String, Object> body) {
    String text =
        post("/v1/generate/stream", body)
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.TEXT_EVENT_STREAM)
            .expectHeader()
            .valueEquals(HttpHeaders.CACHE_CONTROL, "no-cache")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    return SseFrames.parse(text);
  }

  private static Map<String, Object> body(Object... keyValues) {
    Map<String, Object> body = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  private GenerationResult library(String prompt, GenerationParams params) {
    var generation = (Inference.Generation) registry.require(TinyServedModels.GPT2).inference();
    return Generator.generate(
        new CausalLmModel(generation.model()), generation.prompts().request(prompt, params, null));
  }

  private static List<Integer> ids(JsonNode answer) {
    List<Integer> ids = new ArrayList<>();
    answer.get("tokens").forEach(t -> ids.add(t.get("id").asInt()));
    return ids;
  }

  @Test
  void greedyAnswerEqualsTheLibraryOnTheSameModel() {
    JsonNode answer =
        generate(body("prompt", "Hello world", "max_new_tokens", 20, "temperature", 0));
    GenerationResult expected = library("Hello world", GenerationParams.greedy(20));

    assertThat(answer.get("model").asString()).isEqualTo(TinyServedModels.GPT2);
    List<Integer> ids = ids(answer);
    assertThat(ids)
        .containsExactlyElementsOf(java.util.Arrays.stream(expected.tokenIds()).boxed().toList());
    assertThat(answer.get("text").asString()).isEqualTo(expected.text());
    assertThat(answer.get("finish_reason").asString()).isEqualTo(expected.reason().wireName());
    JsonNode usage = answer.get("usage");
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(ids.size());
    assertThat(usage.get("total_tokens").asInt())
        .isEqualTo(usage.get("prompt_tokens").asInt() + ids.size());
    assertThat(usage.get("time_to_first_token_ms").asDouble()).isPositive();
    assertThat(usage.has("tokens_per_second")).isTrue();
    for (JsonNode token : answer.get("tokens")) {
      assertThat(token.has("top_logprobs")).isFalse();
      assertThat(token.get("logprob").asDouble()).isNegative();
    }
  }

  @Test
  void seededSamplingIsReproducibleAndMatchesTheLibrary() {
    Map<String, Object> request =
        body(
            "prompt",
            "abc",
            "max_new_tokens",
            16,
            "top_k",
            40,
            "top_p",
            0.9,
            "seed",
            7,
            "ignore_eos",
            true);
    JsonNode first = generate(request);
    // the same tokens; logprobs may differ in the last float digit (JIT-compiled kernels)
    JsonNode second = generate(request);
    assertThat(ids(second)).isEqualTo(ids(first));
    assertThat(second.get("text")).isEqualTo(first.get("text"));
    GenerationResult expected =
        library(
            "abc",
            GenerationParams.DEFAULT
                .withMaxNewTokens(16)
                .withStopAtEos(false)
                .withSampling(SamplingParams.DEFAULT.withTopK(40).withTopP(0.9).withSeed(7L)));
    assertThat(ids(first))
        .containsExactlyElementsOf(java.util.Arrays.stream(expected.tokenIds()).boxed().toList());
    assertThat(first.get("text").asString()).isEqualTo(expected.text());
    assertThat(first.get("finish_reason").asString()).isEqualTo("length");
  }

  @Test
  void logprobsListTheMostLikelyAlternatives() {
    JsonNode answer =
        generate(body("prompt", "abc", "max_new_tokens", 5, "temperature", 0, "logprobs", 3));
    for (JsonNode token : answer.get("tokens")) {
      JsonNode top = token.get("top_logprobs");
      assertThat(top).hasSize(3);
      // greedy: the chosen token is the most likely one
      assertThat(top.get(0).get("id").asInt()).isEqualTo(token.get("id").asInt());
      assertThat(top.get(0).get("logprob").asDouble())
          .isGreaterThanOrEqualTo(top.get(1).get("logprob").asDouble());
      assertThat(top.get(1).get("logprob").asDouble())
          .isGreaterThanOrEqualTo(top.get(2).get("logprob").asDouble());
      assertThat(top.get(0).has("text")).isTrue();
    }
  }

  @Test
  void stopSequenceCutsTheTextBeforeIt() {
    String free =
        generate(
                body("prompt", "Hello", "max_new_tokens", 30, "temperature", 0, "ignore_eos", true))
            .get("text")
            .asString();
    assertThat(free.length()).as("greedy text long enough to cut: " + free).isGreaterThan(6);
    String stop = free.substring(4, 6);
    JsonNode cut =
        generate(
            body(
                "prompt",
                "Hello",
                "max_new_tokens",
                30,
                "temperature",
                0,
                "ignore_eos",
                true,
                "stop",
                List.of(stop)));
    assertThat(cut.get("finish_reason").asString()).isEqualTo("stop");
    assertThat(cut.get("text").asString()).isEqualTo(free.substring(0, free.indexOf(stop)));
  }

  @Test
  void streamIsOneTokenEventEachThenDoneAddingUpToTheAnswer() {
    Map<String, Object> request =
        body("prompt", "Hello world", "max_new_tokens", 12, "temperature", 0, "ignore_eos", true);
    JsonNode whole = generate(request);
    SseFrames frames = stream(request);

    List<String> expectedEvents = new ArrayList<>(Collections.nCopies(12, "token"));
    expectedEvents.add("done");
    assertThat(frames.events()).containsExactlyElementsOf(expectedEvents);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      JsonNode token = JSON.readTree(frames.frames().get(i).data());
      assertThat(List.copyOf(token.propertyNames())).containsExactly("id", "text", "logprob");
      assertThat(token.get("id")).isEqualTo(whole.get("tokens").get(i).get("id"));
      text.append(token.get("text").asString());
    }
    JsonNode done = JSON.readTree(frames.last().data());
    assertThat(List.copyOf(done.propertyNames())).containsExactly("finish_reason", "text", "usage");
    assertThat(done.get("finish_reason").asString()).isEqualTo("length");
    assertThat(done.get("text").asString())
        .isEqualTo(text.toString())
        .isEqualTo(whole.get("text").asString());
    assertThat(done.get("usage").get("completion_tokens").asInt()).isEqualTo(12);
  }

  @Test
  void promptAndMaxNewTokensOverTheContextIs422UnlessTruncated() {
    // gpt2-tiny has 128 positions; each "a b" pair of words is several tokens
    String prompt = "a b ".repeat(100);
    problem(post("/v1/generate", body("prompt", prompt, "max_new_tokens", 8)), 422)
        .jsonPath("$.model")
        .isEqualTo(TinyServedModels.GPT2)
        .jsonPath("$.context_length")
        .isEqualTo(128);
    problem(post("/v1/generate/stream", body("prompt", prompt, "max_new_tokens", 8)), 422);
    JsonNode truncated =
        generate(body("prompt", prompt, "max_new_tokens", 8, "truncate_prompt", true));
    assertThat(truncated.get("usage").get("prompt_tokens").asInt()).isEqualTo(120);
  }

  @Test
  void badValuesAre400NamingTheField() {
    fieldProblem(post("/v1/generate", body("prompt", "a", "temperature", -1)), 400, "temperature");
    fieldProblem(post("/v1/generate", body("prompt", "a", "top_p", 1.5)), 400, "top_p");
    fieldProblem(
        post("/v1/generate", body("prompt", "a", "max_new_tokens", 0)), 400, "max_new_tokens");
    fieldProblem(post("/v1/generate", body("prompt", "a", "logprobs", -1)), 400, "logprobs");
    fieldProblem(post("/v1/generate", body("prompt", "a", "stop", List.of(""))), 400, "stop");
    fieldProblem(post("/v1/generate", body("max_new_tokens", 3)), 400, "prompt");
    fieldProblem(post("/v1/generate", "{\"prompt\":\"a\",\"top_k\":\"5\"}"), 400, "top_k");
    fieldProblem(post("/v1/generate/stream", body("prompt", "a", "min_p", 2)), 400, "min_p");
  }

  @Test
  void aModelThatCannotGenerateIs400AndAnUnknownOne404() {
    fieldProblem(post("/v1/generate", body("model", "gpt2", "prompt", "a")), 400, "model");
    fieldProblem(
        post("/v1/generate", body("model", TinyServedModels.BERT, "prompt", "a")), 400, "model");
    problem(post("/v1/generate", body("model", "gpt-9", "prompt", "a")), 404)
        .jsonPath("$.model")
        .isEqualTo("gpt-9");
    problem(post("/v1/generate/stream", body("model", "../models", "prompt", "a")), 404);
  }

  @Test
  void sizesOverTheLimitsAre413() {
    fieldProblem(
            post("/v1/generate", body("prompt", "a", "max_new_tokens", 1025)),
            413,
            "max_new_tokens")
        .jsonPath("$.limit")
        .isEqualTo(1024);
    fieldProblem(post("/v1/generate", body("prompt", "a", "logprobs", 21)), 413, "logprobs");
    fieldProblem(
        post("/v1/generate", body("prompt", "a", "stop", Collections.nCopies(17, "x"))),
        413,
        "stop");
    fieldProblem(
        post("/v1/generate", body("prompt", "a", "stop", List.of("x", "y".repeat(257)))),
        413,
        "stop[1]");
    fieldProblem(post("/v1/generate/stream", body("prompt", "x".repeat(200_001))), 413, "prompt");
  }

  @Test
  void metricsCountTokensRequestsAndTimings() {
    generate(body("prompt", "metrics", "max_new_tokens", 4, "temperature", 0, "ignore_eos", true));
    String prometheus = prometheus();
    assertThat(prometheus)
        .contains("lmserve_generation_queue_depth{model=\"gpt2-tiny\"}")
        .contains("lmserve_generation_active_sequences{model=\"gpt2-tiny\"}")
        .contains("lmserve_generation_kv_cache_bytes{model=\"gpt2-tiny\"}")
        .contains("lmserve_generation_time_to_first_token_seconds_bucket{model=\"gpt2-tiny\"")
        .contains("lmserve_generation_inter_token_latency_seconds_bucket{model=\"gpt2-tiny\"")
        .contains("lmserve_generation_tokens_total{model=\"gpt2-tiny\"}")
        .contains(
            "lmserve_generation_requests_total{finish_reason=\"length\",model=\"gpt2-tiny\"}");
  }
}
