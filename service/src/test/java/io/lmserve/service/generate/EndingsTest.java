package io.lmserve.service.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.errors.GenerationFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problem a stream ends with is written even when it has no type: a generation that failed or
 * was cancelled mid-stream (weights unreadable, shutdown) must end with an error event, not a cut
 * connection.
 */
class EndingsTest {

  @Test
  void aProblemWithoutATypeIsAboutBlank() {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "x");
    problem.setType(null);
    assertThat(Endings.members(problem))
        .containsEntry("type", "about:blank")
        .containsEntry("status", 503)
        .containsEntry("detail", "x");
  }

  @Test
  void failedAndCancelledGenerationsBecomeStreamMembers() {
    assertThat(Endings.members("gpt2-tiny", new GenerationFailedException("gpt2-tiny", "boom")))
        .containsEntry("status", 500)
        .containsKey("type");
    assertThat(
            Endings.members(
                io.lmserve.service.errors.RetryLaterException.generationCancelled(
                        "shutting down", Duration.ofSeconds(5))
                    .getBody()))
        .containsEntry("status", 503);
  }
}
