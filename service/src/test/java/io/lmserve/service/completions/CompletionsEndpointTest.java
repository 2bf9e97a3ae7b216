package io.lmserve.service.completions;

import static io.lmserve.service.Problems.fieldProblem;
import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import io.lmserve.service.SseFrames;
import io.lmserve.service.TinyServedModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's {@code /v1/completions} on the tiny GPT-2: the object's exact members, the stream's
 * exact framing (data-only frames, finish_reason null until the last chunk, the usage chunk, {@code
 * data: [DONE]}), the same text both ways, and OpenAI-shaped refusals.
 */
class CompletionsEndpointTest extends ServiceTest {

  private static final JsonMapper JSON = JsonMapper.shared();

  private static final Map<String, Object> GREEDY =
      Map.of("prompt", "Hello world", "max_tokens", 10, "temperature", 0);

  private JsonNode complete(Map<String, Object> body) {
    return JSON.readTree(
        post("/v1/completions", body)
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.APPLICATION_JSON)
            .expectBody()
            .returnResult()
            .getResponseBody());
  }

  private SseFrames stream(Map<String, Object> body) {
    return SseFrames.parse(
        post("/v1/completions", body)
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.TEXT_EVENT_STREAM)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
    Map<String, Object> body = new java.util.HashMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  @Test
  void wholeAnswerHasOpenAisMembers() {
    JsonNode answer = complete(GREEDY);
    assertThat(List.copyOf(answer.propertyNames()))
        .containsExactly("id", "object", "created", "model", "choices", "usage");
    assertThat(answer.get("id").asString()).startsWith("cmpl-");
    assertThat(answer.get("object").asString()).isEqualTo("text_completion");
    assertThat(answer.get("created").asLong())
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
    assertThat(answer.get("model").asString()).isEqualTo(TinyServedModels.GPT2);
    JsonNode choice = answer.get("choices").get(0);
    assertThat(answer.get("choices")).hasSize(1);
    assertThat(List.copyOf(choice.propertyNames()))
        .containsExactly("text", "index", "logprobs", "finish_reason");
    assertThat(choice.get("index").asInt()).isZero();
    assertThat(choice.get("logprobs").isNull()).isTrue();
    assertThat(choice.get("finish_reason").asString()).isIn("stop", "length");
    JsonNode usage = answer.get("usage");
    assertThat(List.copyOf(usage.propertyNames()))
        .containsExactly("prompt_tokens", "completion_tokens", "total_tokens");
    assertThat(usage.get("prompt_tokens").asInt()).isPositive();
  }

  @Test
  void streamIsDataFramesEndingWithDoneAndAddsUpToTheWholeAnswer() {
    JsonNode whole = complete(GREEDY);
    SseFrames frames = stream(with(GREEDY, "stream", true));

    assertThat(frames.events()).allMatch(java.util.Objects::isNull);
    assertThat(frames.last().data()).isEqualTo("[DONE]");
    List<SseFrames.Frame> chunks = frames.frames().subList(0, frames.frames().size() - 1);
    StringBuilder text = new StringBuilder();
    String id = null;
    for (int i = 0; i < chunks.size(); i++) {
      JsonNode chunk = JSON.readTree(chunks.get(i).data());
      assertThat(List.copyOf(chunk.propertyNames()))
          .containsExactly("id", "object", "created", "model", "choices");
      id = id == null ? chunk.get("id").asString() : id;
      assertThat(chunk.get("id").asString()).isEqualTo(id);
      JsonNode choice = chunk.get("choices").get(0);
      text.append(choice.get("text").asString());
      boolean last = i == chunks.size() - 1;
      assertThat(choice.get("finish_reason").isNull()).isEqualTo(!last);
      if (last) {
        assertThat(choice.get("finish_reason").asString())
            .isEqualTo(whole.get("choices").get(0).get("finish_reason").asString());
      }
    }
    assertThat(text.toString()).isEqualTo(whole.get("choices").get(0).get("text").asString());
  }

  @Test
  void includeUsageAddsAUsageChunkWithoutChoicesBeforeDone() {
    SseFrames frames =
        stream(
            with(
                GREEDY,
                "stream",
                true,
                "stream_options",
                Map.of("include_usage", true),
                "max_tokens",
                3));
    List<SseFrames.Frame> all = frames.frames();
    JsonNode usageChunk = JSON.readTree(all.get(all.size() - 2).data());
    assertThat(usageChunk.get("choices")).isEmpty();
    assertThat(usageChunk.get("usage").get("total_tokens").asInt())
        .isEqualTo(
            usageChunk.get("usage").get("prompt_tokens").asInt()
                + usageChunk.get("usage").get("completion_tokens").asInt());
    assertThat(JSON.readTree(all.get(0).data()).has("usage")).isFalse();
  }

  @Test
  void logprobsHaveOpenAisLegacyShape() {
    JsonNode logprobs = complete(with(GREEDY, "logprobs", 2)).get("choices").get(0).get("logprobs");
    assertThat(List.copyOf(logprobs.propertyNames()))
        .containsExactly("tokens", "token_logprobs", "top_logprobs", "text_offset");
    int n = logprobs.get("tokens").size();
    assertThat(n).isPositive();
    assertThat(logprobs.get("token_logprobs")).hasSize(n);
    assertThat(logprobs.get("text_offset").get(0).asInt()).isZero();
    for (int i = 0; i < n; i++) {
      JsonNode top = logprobs.get("top_logprobs").get(i);
      assertThat(top.size()).isBetween(2, 3);
      assertThat(top.has(logprobs.get("tokens").get(i).asString())).isTrue();
    }
  }

  @Test
  void stopMayBeOneStringAndPromptAListOfOne() {
    String free =
        complete(with(GREEDY, "max_tokens", 20)).get("choices").get(0).get("text").asString();
    String stop = free.substring(2, 4);
    JsonNode cut =
        complete(with(GREEDY, "max_tokens", 20, "stop", stop, "prompt", List.of("Hello world")));
    assertThat(cut.get("choices").get(0).get("text").asString())
        .isEqualTo(free.substring(0, free.indexOf(stop)));
    assertThat(cut.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
  }

  @Test
  void whatOneChoicePerPromptCannotDoIs400() {
    fieldProblem(post("/v1/completions", with(GREEDY, "prompt", List.of("a", "b"))), 400, "prompt");
    fieldProblem(post("/v1/completions", with(GREEDY, "prompt", List.of(1, 2))), 400, "prompt");
    fieldProblem(post("/v1/completions", with(GREEDY, "prompt", List.of(5))), 400, "prompt[0]");
    fieldProblem(post("/v1/completions", with(GREEDY, "n", 2)), 400, "n");
    fieldProblem(post("/v1/completions", with(GREEDY, "echo", true)), 400, "echo");
    fieldProblem(post("/v1/completions", with(GREEDY, "stop", List.of("a", 3))), 400, "stop[1]");
    fieldProblem(post("/v1/completions", with(GREEDY, "max_tokens", 0)), 400, "max_tokens");
    fieldProblem(post("/v1/completions", Map.of("max_tokens", 3)), 400, "prompt");
  }

  @Test
  void limitsContextAndModelsAnswerLikeGenerate() {
    fieldProblem(post("/v1/completions", with(GREEDY, "max_tokens", 5000)), 413, "max_tokens");
    fieldProblem(post("/v1/completions", with(GREEDY, "logprobs", 50)), 413, "logprobs");
    problem(post("/v1/completions", with(GREEDY, "max_tokens", 127, "stream", true)), 422)
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("max_tokens"));
    problem(post("/v1/completions", with(GREEDY, "model", "davinci-002")), 404);
    fieldProblem(post("/v1/completions", with(GREEDY, "model", "bert-base-uncased")), 400, "model");
  }
}
