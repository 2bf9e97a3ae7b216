package io.lmserve.service;

import io.lmserve.service.models.ModelRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Health on config/application.yml, once the configured models (weights included) have loaded. */
@SpringBootTest
@AutoConfigureWebTestClient
class HealthTest {

  @Autowired WebTestClient client;
  @Autowired ModelRegistry registry;

  @BeforeEach
  void modelsLoaded() throws InterruptedException {
    ServiceTest.awaitLoaded(registry);
  }

  @Test
  void healthIsUp() {
    client
        .get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
  }

  @Test
  void livenessAndReadinessGroupsAreExposed() {
    client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
  }
}
