package io.lmserve.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** What operators and developers use beside the API: health, metrics, OpenAPI, the page at /. */
class OperationsEndpointsTest extends ServiceTest {

  @Test
  void readinessIncludesTheModels() {
    client
        .get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP")
        .jsonPath("$.components.models.details.gpt2")
        .isEqualTo("ready");
  }

  @Test
  void prometheusShowsRequestAndCacheMetrics() {
    post("/v1/tokenize", Map.of("text", "cache me")).expectStatus().isOk();
    post("/v1/tokenize", Map.of("text", "cache me")).expectStatus().isOk();
    String metrics = prometheus();
    assertThat(metrics)
        .contains("http_server_requests_seconds_bucket{")
        .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/v1/tokenize\"")
        .containsPattern("cache_gets_total\\{cache=\"lmserve.encodings\"[^}]*result=\"hit\"")
        .contains("cache_evictions_total{cache=\"lmserve.encodings\"")
        .contains("cache_size{cache=\"lmserve.models\"");
    assertThat(hits(metrics)).isGreaterThanOrEqualTo(1);
    assertThat(sample(metrics, "lmserve_encodings_weight_bytes ")).isPositive();
  }

  private static double sample(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static double hits(String metrics) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("cache_gets_total{cache=\"lmserve.encodings\""))
        .filter(l -> l.contains("result=\"hit\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void openApiDocumentListsTheEndpoints() {
    // The document is built on first request, which takes a few seconds on a small machine.
    client
        .mutate()
        .responseTimeout(Duration.ofSeconds(60))
        .build()
        .get()
        .uri("/v3/api-docs")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.paths['/v1/tokenize'].post")
        .exists()
        .jsonPath("$.paths['/v1/encode'].post")
        .exists()
        .jsonPath("$.paths['/v1/decode'].post")
        .exists()
        .jsonPath("$.paths['/v1/models'].get")
        .exists();
  }

  @Test
  void swaggerUiIsServed() {
    client
        .get()
        .uri("/swagger-ui.html")
        .exchange()
        .expectStatus()
        .is3xxRedirection()
        .expectHeader()
        .location("/swagger-ui/index.html");
    client.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
  }

  @Test
  void thePageAtTheRootIsServed() {
    client
        .get()
        .uri("/")
        .accept(MediaType.TEXT_HTML)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(
            html ->
                assertThat(html)
                    .contains("<select id=\"model\"")
                    .contains("<script src=\"app.js\">"));
    client.get().uri("/app.js").exchange().expectStatus().isOk();
  }
}
