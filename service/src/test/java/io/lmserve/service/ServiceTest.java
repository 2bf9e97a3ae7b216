package io.lmserve.service;

import io.lmserve.service.models.ModelRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service on config/application.yml plus the tiny models ({@link TinyServedModels}) on a
 * real port, shared by the endpoint tests (one Spring context): streams are read and cancelled by a
 * real HTTP client. Each test starts once the models have loaded.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
public abstract class ServiceTest {

  @DynamicPropertySource
  static void tinyModels(DynamicPropertyRegistry properties) {
    TinyServedModels.register(properties);
  }

  @Autowired protected WebTestClient client;
  @Autowired protected ModelRegistry registry;

  @BeforeEach
  void modelsLoaded() throws InterruptedException {
    awaitLoaded(registry);
  }

  /** Waits (at most 60 s) until every configured model has loaded. */
  public static void awaitLoaded(ModelRegistry registry) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!registry.allReady()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("models did not load within 60 s: " + registry.names());
      }
      Thread.sleep(20);
    }
  }

  /** Posts {@code body}, expects 200 with a JSON answer and returns it parsed. */
  protected JsonNode postForJson(String path, Object body) {
    return JsonMapper.shared()
        .readTree(
            post(path, body)
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .returnResult()
                .getResponseBody());
  }

  protected WebTestClient.ResponseSpec post(String path, Object body) {
    return client
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  /** The Prometheus scrape, as a monitoring system reads it. */
  protected String prometheus() {
    return client
        .get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
