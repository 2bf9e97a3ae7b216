package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.LmserveApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Starts the whole service on a real port and talks to it as an outside client would. */
@SpringBootTest(
    classes = LmserveApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceStartsIT {

  @LocalServerPort int port;

  @Test
  void healthAnswersUpOverHttp() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      // Health is DOWN (503) until the configured models have loaded in the background.
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
              .build();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
      while (response.statusCode() == 503 && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
        response = http.send(health, HttpResponse.BodyHandlers.ofString());
      }
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"status\":\"UP\"");
    }
  }
}
