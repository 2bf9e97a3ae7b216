package io.lmserve.service.errors;

import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.schedule.QueueFullException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every problem the handler writes, through a controller that fails on purpose: status, media type,
 * the field or limit named, and {@code Retry-After} where the client should come back.
 */
class ProblemHandlerTest {

  enum Mode {
    FAST,
    SLOW;

    @JsonCreator
    static Mode of(String value) {
      return switch (value) {
        case "fast" -> FAST;
        case "slow" -> SLOW;
        default -> throw new IllegalArgumentException("must be \"fast\" or \"slow\"");
      };
    }
  }

  record Body(
      @NotNull String text,
      @JsonProperty("max_length") @PositiveOrZero Integer maxLength,
      List<String> texts,
      Mode mode) {}

  @RestController
  static class Failing {
    @PostMapping("/echo")
    Body echo(@Valid @RequestBody Body body) {
      return body;
    }

    @PostMapping("/unknown-model")
    void unknownModel() {
      throw new UnknownModelException("gpt5", List.of("gpt2", "bert"));
    }

    @PostMapping("/too-long")
    void tooLong() {
      throw new LimitExceededException("texts", 300, 256, "texts");
    }

    @PostMapping("/context")
    void context() {
      throw new ContextLengthExceededException("gpt2", 2000, 1024);
    }

    @PostMapping("/queue-full")
    void queueFull() {
      throw RetryLaterException.queueFull("generation", 64, Duration.ofSeconds(2));
    }

    @PostMapping("/loading")
    void loading() {
      throw RetryLaterException.modelLoading("gpt2", Duration.ofMillis(5500));
    }

    @PostMapping("/generation-queue-full")
    void generationQueueFull() {
      throw new QueueFullException(32);
    }

    @PostMapping("/generation-invalid")
    void generationInvalid() {
      throw new InvalidRequestException("top_p", "must be in (0, 1], got 1.5");
    }

    @PostMapping("/bug")
    void bug() {
      throw new IllegalStateException("secret internals");
    }
  }

  private final WebTestClient client =
      WebTestClient.bindToController(new Failing())
          .controllerAdvice(new ProblemHandler(DataSize.ofKilobytes(256), Duration.ofSeconds(4)))
          .validator(validator())
          .build();

  private static LocalValidatorFactoryBean validator() {
    LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
    validator.afterPropertiesSet();
    return validator;
  }

  private WebTestClient.ResponseSpec post(String path, String json) {
    return client
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchange();
  }

  @Test
  void validBodyPasses() {
    post("/echo", "{\"text\":\"hi\",\"max_length\":3}")
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.text")
        .isEqualTo("hi");
  }

  @Test
  void constraintViolationNamesTheFieldInSnakeCase() {
    problem(post("/echo", "{\"text\":\"hi\",\"max_length\":-1}"), 400)
        .jsonPath("$.status")
        .isEqualTo(400)
        .jsonPath("$.field")
        .isEqualTo("max_length")
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).startsWith("field 'max_length': "));
  }

  @Test
  void missingRequiredFieldIsNamed() {
    problem(post("/echo", "{\"max_length\":1}"), 400).jsonPath("$.field").isEqualTo("text");
  }

  @Test
  void wrongJsonTypeNamesTheField() {
    problem(post("/echo", "{\"text\":\"hi\",\"max_length\":\"ten\"}"), 400)
        .jsonPath("$.field")
        .isEqualTo("max_length")
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("\"ten\"").contains("integer"));
  }

  @Test
  void wrongElementTypeNamesTheIndex() {
    problem(post("/echo", "{\"text\":\"hi\",\"texts\":[\"a\",{\"b\":1}]}"), 400)
        .jsonPath("$.field")
        .isEqualTo("texts[1]");
  }

  @Test
  void rejectedEnumValueExplainsTheChoices() {
    problem(post("/echo", "{\"text\":\"hi\",\"mode\":\"medium\"}"), 400)
        .jsonPath("$.field")
        .isEqualTo("mode")
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains("\"fast\" or \"slow\""));
  }

  @Test
  void malformedJsonIs400() {
    problem(post("/echo", "{\"text\": \"hi\""), 400)
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).startsWith("malformed JSON"));
  }

  @Test
  void unknownModelIs404WithTheServedModels() {
    problem(post("/unknown-model", "{}"), 404)
        .jsonPath("$.model")
        .isEqualTo("gpt5")
        .jsonPath("$.served_models[0]")
        .isEqualTo("gpt2");
  }

  @Test
  void overLimitIs413WithTheLimit() {
    problem(post("/too-long", "{}"), 413)
        .jsonPath("$.field")
        .isEqualTo("texts")
        .jsonPath("$.limit")
        .isEqualTo(256)
        .jsonPath("$.actual")
        .isEqualTo(300);
  }

  @Test
  void overContextIs422() {
    problem(post("/context", "{}"), 422)
        .jsonPath("$.context_length")
        .isEqualTo(1024)
        .jsonPath("$.tokens")
        .isEqualTo(2000);
  }

  @Test
  void fullQueueIs429WithRetryAfter() {
    post("/queue-full", "{}")
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "2")
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void loadingModelIs503WithRetryAfterInWholeSeconds() {
    post("/loading", "{}")
        .expectStatus()
        .isEqualTo(503)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "5")
        .expectBody()
        .jsonPath("$.model")
        .isEqualTo("gpt2");
  }

  @Test
  void generationQueueFullIs429WithTheConfiguredRetryAfter() {
    post("/generation-queue-full", "{}")
        .expectStatus()
        .isEqualTo(429)
        .expectHeader()
        .valueEquals(HttpHeaders.RETRY_AFTER, "4")
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.queue")
        .isEqualTo("generation")
        .jsonPath("$.capacity")
        .isEqualTo(32);
  }

  @Test
  void generationParameterRefusalIs400NamingTheField() {
    problem(post("/generation-invalid", "{}"), 400)
        .jsonPath("$.field")
        .isEqualTo("top_p")
        .jsonPath("$.detail")
        .isEqualTo("field 'top_p': must be in (0, 1], got 1.5");
  }

  @Test
  void defectIs500WithoutInternals() {
    problem(post("/bug", "{}"), 500)
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).doesNotContain("secret"));
  }

  @Test
  void unsupportedMediaTypeIs415() {
    client
        .post()
        .uri("/echo")
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("text")
        .exchange()
        .expectStatus()
        .isEqualTo(415)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON);
  }
}
