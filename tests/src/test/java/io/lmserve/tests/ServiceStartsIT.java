package io.lmserve.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.LmserveApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"status\":\"UP\"");
    }
  }
}
