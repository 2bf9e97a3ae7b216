package io.lmserve.service;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Assertions on problem+json answers, shared by the endpoint and error tests. */
public final class Problems {

  private Problems() {}

  /** The answer is problem+json with {@code status}; its body for further checks. */
  public static WebTestClient.BodyContentSpec problem(
      WebTestClient.ResponseSpec response, int status) {
    return response
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo(status);
  }

  /** The answer is problem+json with {@code status} naming {@code field}. */
  public static WebTestClient.BodyContentSpec fieldProblem(
      WebTestClient.ResponseSpec response, int status, String field) {
    return problem(response, status).jsonPath("$.field").isEqualTo(field);
  }
}
