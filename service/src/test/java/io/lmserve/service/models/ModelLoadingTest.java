package io.lmserve.service.models;

import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.TinyServedModels;
import io.lmserve.service.config.LmserveProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * While models load, requests get 503 with Retry-After and readiness is DOWN (liveness stays UP);
 * once they have loaded, both turn. Loading is held back by a latch in the loader.
 */
@SpringBootTest
@AutoConfigureWebTestClient
class ModelLoadingTest {

  static final CountDownLatch release = new CountDownLatch(1);

  @TestConfiguration
  static class HeldBackLoading {
    @Bean
    @Primary
    ModelLoader heldBackLoader(LmserveProperties properties) {
      return new ModelLoader(properties) {
        @Override
        public ServedModel load(String name, LmserveProperties.Model entry) {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return super.load(name, entry);
        }
      };
    }
  }

  @DynamicPropertySource
  static void tinyModels(DynamicPropertyRegistry properties) {
    TinyServedModels.register(properties);
  }

  @Autowired WebTestClient client;
  @Autowired ModelRegistry registry;

  private WebTestClient.ResponseSpec tokenizeWithBert() {
    return client
        .post()
        .uri("/v1/tokenize")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("model", "bert-base-uncased", "text", "hi"))
        .exchange();
  }

  @Test
  void requestsWaitForLoadingAndReadinessFollows() throws InterruptedException {
    tokenizeWithBert()
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("bert-base-uncased");
    for (var request :
        Map.of(
                "/v1/generate", Map.of("prompt", "hi"),
                "/v1/generate/stream", Map.of("prompt", "hi"),
                "/v1/completions", Map.of("prompt", "hi", "stream", true),
                "/v1/fill-mask", Map.of("text", "[MASK]"))
            .entrySet()) {
      problem(
              client
                  .post()
                  .uri(request.getKey())
                  .contentType(MediaType.APPLICATION_JSON)
                  .bodyValue(request.getValue())
                  .exchange()
                  .expectHeader()
                  .valueEquals(HttpHeaders.RETRY_AFTER, "5"),
              503)
          .jsonPath("$.model")
          .value(String.class, m -> assertThat(m).endsWith("-tiny"));
    }
    client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
    client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    client
        .get()
        .uri("/v1/models")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.data[1].state")
        .isEqualTo("loading");

    release.countDown();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!registry.allReady() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }

    client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    tokenizeWithBert().expectStatus().isOk();
  }
}
