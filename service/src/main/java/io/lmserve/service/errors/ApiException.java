package io.lmserve.service.errors;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A failure the client can act on, rendered as {@code application/problem+json}: the status, a
 * short title, a detail sentence naming what is wrong, and extra members (the field, the model, the
 * limit) that clients can read without parsing the sentence.
 */
public abstract class ApiException extends ErrorResponseException {

  protected ApiException(
      HttpStatus status, String title, String detail, Map<String, ?> properties) {
    super(status, problem(status, title, detail, properties), null);
  }

  private static ProblemDetail problem(
      HttpStatus status, String title, String detail, Map<String, ?> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return problem;
  }

  @Override
  public String getMessage() {
    return getBody().getDetail();
  }
}
