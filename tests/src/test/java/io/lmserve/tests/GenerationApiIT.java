package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.LmserveApplication;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The generation endpoints through the JDK's own HTTP client, as an outside SSE client sees them:
 * the exact bytes of the OpenAI completions stream ({@code data: {...}\n\n} frames, {@code data:
 * [DONE]\n\n}, no {@code event:} lines) and of the generate stream ({@code event: token} frames,
 * one {@code event: done}), each adding up to the non-streamed answer.
 */
@SpringBootTest(
    classes = LmserveApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GenerationApiIT {

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final Pattern COMPLETION_STREAM =
      Pattern.compile("(data: \\{[^\\n]*\\}\\n\\n)+data: \\[DONE\\]\\n\\n");
  private static final Pattern GENERATE_STREAM =
      Pattern.compile(
          "(event: token\\ndata: \\{[^\\n]*\\}\\n\\n)+event: done\\ndata: \\{[^\\n]*\\}\\n\\n");
  private static final Pattern DATA = Pattern.compile("data: ([^\\n]*)\\n\\n");

  @DynamicPropertySource
  static void tinyModels(DynamicPropertyRegistry properties) {
    RunningService.serveTinyModels(properties);
  }

  @LocalServerPort int port;

  @BeforeEach
  void ready() throws Exception {
    new RunningService(port).awaitReady();
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return new RunningService(port).post(path, json);
  }

  private static List<JsonNode> data(String body) {
    List<JsonNode> frames = new ArrayList<>();
    Matcher m = DATA.matcher(body);
    while (m.find()) {
      if (!m.group(1).equals("[DONE]")) {
        frames.add(JSON.readTree(m.group(1)));
      }
    }
    return frames;
  }

  @Test
  void completionsStreamIsOpenAisWireFormat() throws Exception {
    String request =
        "{\"prompt\":\"Hello world\",\"max_tokens\":12,\"temperature\":0,"
            + "\"stream_options\":{\"include_usage\":true}";
    HttpResponse<String> whole = post("/v1/completions", request + "}");
    assertThat(whole.statusCode()).isEqualTo(200);
    JsonNode answer = JSON.readTree(whole.body());

    HttpResponse<String> stream = post("/v1/completions", request + ",\"stream\":true}");
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(stream.body()).matches(COMPLETION_STREAM);

    List<JsonNode> chunks = data(stream.body());
    JsonNode usage = chunks.getLast();
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.get("usage")).isEqualTo(answer.get("usage"));
    StringBuilder text = new StringBuilder();
    for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(chunk.get("object").asString()).isEqualTo("text_completion");
      assertThat(chunk.get("id").asString()).startsWith("cmpl-");
      text.append(chunk.get("choices").get(0).get("text").asString());
    }
    assertThat(text.toString()).isEqualTo(answer.get("choices").get(0).get("text").asString());
    assertThat(chunks.get(chunks.size() - 2).get("choices").get(0).get("finish_reason").asString())
        .isEqualTo(answer.get("choices").get(0).get("finish_reason").asString());
  }

  @Test
  void generateStreamIsTokenEventsThenDone() throws Exception {
    String request =
        "{\"prompt\":\"Hello world\",\"max_new_tokens\":10,\"temperature\":0,\"ignore_eos\":true}";
    JsonNode answer = JSON.readTree(post("/v1/generate", request).body());
    HttpResponse<String> stream = post("/v1/generate/stream", request);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    assertThat(stream.body()).matches(GENERATE_STREAM);

    List<JsonNode> frames = data(stream.body());
    assertThat(frames).hasSize(11);
    for (int i = 0; i < 10; i++) {
      assertThat(frames.get(i).get("id")).isEqualTo(answer.get("tokens").get(i).get("id"));
    }
    JsonNode done = frames.getLast();
    assertThat(done.get("finish_reason").asString()).isEqualTo("length");
    assertThat(done.get("text")).isEqualTo(answer.get("text"));
  }

  @Test
  void refusalsBeforeTheStreamAreProblemJson() throws Exception {
    HttpResponse<String> tooMany =
        post("/v1/completions", "{\"prompt\":[\"a\",\"b\"],\"stream\":true}");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(JSON.readTree(tooMany.body()).get("field").asString()).isEqualTo("prompt");
  }
}
