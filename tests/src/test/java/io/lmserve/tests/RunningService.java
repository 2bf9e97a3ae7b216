package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.testkit.TinyModelFolders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The service on a random port as an outside client reaches it, with the JDK's HTTP client. */
record RunningService(int port) {

  /** Serves the tiny GPT-2 and BERT as the default generation and fill-mask models. */
  static void serveTinyModels(DynamicPropertyRegistry properties) {
    TinyModelFolders.serviceProperties(Path.of("target", "tiny-models").toAbsolutePath())
        .forEach((key, value) -> properties.add(key, () -> value));
  }

  URI url(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** Waits (at most 60 s) until readiness answers 200: every model has loaded. */
  void awaitReady() throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest readiness = HttpRequest.newBuilder(url("/actuator/health/readiness")).build();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
        assertThat(Instant.now()).as("readiness within 60 s").isBefore(deadline);
        Thread.sleep(50);
      }
    }
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(url(path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
