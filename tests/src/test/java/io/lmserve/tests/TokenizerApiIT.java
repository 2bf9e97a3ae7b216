package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.LmserveApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokenizer endpoints over real HTTP, as curl or any client in another language would call
 * them: JSON in, JSON or problem+json out, with the configured models of config/application.yml.
 */
@SpringBootTest(
    classes = LmserveApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenizerApiIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static HttpClient http;

  @LocalServerPort int port;

  @BeforeAll
  static void client() {
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void close() {
    http.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Readiness turns UP once the models have loaded; that is what a load balancer waits for. */
  private void awaitReady() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (get("/actuator/health/readiness").statusCode() != 200) {
      assertThat(Instant.now()).as("readiness within 60 s").isBefore(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void tokenizeOverHttp() throws Exception {
    awaitReady();
    HttpResponse<String> response =
        post("/v1/tokenize", "{\"model\":\"gpt2\",\"text\":\"Hello world\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("ids").toString()).isEqualTo("[15496,995]");
    assertThat(body.get("tokens").toString()).isEqualTo("[\"Hello\",\"Ġworld\"]");
    assertThat(body.get("offsets").toString()).isEqualTo("[[0,5],[5,11]]");
  }

  @Test
  void encodeBatchOverHttp() throws Exception {
    awaitReady();
    HttpResponse<String> response =
        post(
            "/v1/encode",
            "{\"model\":\"bert-base-uncased\",\"texts\":[\"Hello world\",\"Hi\"],\"padding\":true}");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("input_ids").toString())
        .isEqualTo("[[101,7592,2088,102],[101,7632,102,0]]");
    assertThat(body.get("attention_mask").toString()).isEqualTo("[[1,1,1,1],[1,1,1,0]]");
  }

  @Test
  void unknownModelIsAProblemDocument() throws Exception {
    awaitReady();
    HttpResponse<String> response = post("/v1/tokenize", "{\"model\":\"nope\",\"text\":\"hi\"}");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(404);
    assertThat(problem.get("model").asString()).isEqualTo("nope");
    assertThat(problem.get("detail").asString()).contains("'nope'").contains("gpt2");
  }

  @Test
  void badFieldIsAProblemDocumentNamingIt() throws Exception {
    awaitReady();
    HttpResponse<String> response =
        post("/v1/encode", "{\"text\":\"hi\",\"truncation\":\"sometimes\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.get("field").asString()).isEqualTo("truncation");
    assertThat(problem.get("detail").asString()).contains("longest_first");
  }
}
