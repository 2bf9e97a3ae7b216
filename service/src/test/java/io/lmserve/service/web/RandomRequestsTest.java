package io.lmserve.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.service.ServiceTest;
import io.lmserve.testkit.RequestFuzzer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Requests nobody wrote by hand, over every endpoint ({@link RequestFuzzer}): wrong types, huge and
 * negative numbers, NaN, nulls, nested values, lone surrogates, path-like model names, 10k-item
 * lists, malformed and truncated JSON, invalid UTF-8, deep nesting, 10 MB bodies. Whatever comes
 * in, the answer is a 2xx or a 4xx problem document, within the response timeout — never a 5xx, a
 * redirect or a hang. Seeded: a failure names its case seed, and {@code -Dlmserve.case=SEED}
 * replays it.
 *
 * <p>A build sends {@value #DEFAULT_CASES} cases; {@code -Dlmserve.fuzz.requests=100000} is the
 * long mode.
 */
class RandomRequestsTest extends ServiceTest {

  static final int DEFAULT_CASES = 400;
  private static final long SEED = 20261123L;

  @Test
  void noRequestIsAServerError() {
    int count = Integer.getInteger("lmserve.fuzz.requests", DEFAULT_CASES);
    String replay = System.getProperty("lmserve.case");
    WebTestClient patient = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    RequestFuzzer fuzzer = new RequestFuzzer();
    Map<String, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom(SEED);
    for (int i = 0; i < count && failures.size() < 20; i++) {
      long caseSeed = replay != null ? Long.parseLong(replay) : seeds.nextLong();
      RequestFuzzer.Case request = fuzzer.next(new SplittableRandom(caseSeed));
      String verdict;
      try {
        verdict = verdict(send(patient, request));
      } catch (RuntimeException | AssertionError e) {
        verdict = "no answer: " + e;
      }
      String status = verdict.length() == 3 ? verdict : "failed";
      statuses.merge(request.path() + " " + status, 1, Integer::sum);
      if (!verdict.chars().allMatch(Character::isDigit)) {
        failures.add("case seed " + caseSeed + ": " + verdict + "\n  " + request.describe());
      }
      if (replay != null) {
        break;
      }
    }
    System.out.println("RandomRequestsTest: " + count + " cases, answers " + statuses);
    assertThat(failures).isEmpty();
    // Enough requests are valid to reach the tokenizers and models, not only the parser (counted
    // over the endpoints this build serves: a path that only ever answered 404 is not there).
    Map<String, Integer> byPath = new TreeMap<>();
    Map<String, Integer> okByPath = new TreeMap<>();
    statuses.forEach(
        (key, n) -> {
          String path = key.substring(0, key.lastIndexOf(' '));
          byPath.merge(path, n, Integer::sum);
          okByPath.merge(path, key.endsWith(" 404") ? 0 : n, Integer::sum);
        });
    int served = 0;
    int ok = 0;
    for (String path : byPath.keySet()) {
      if (okByPath.get(path) > 0) {
        served += byPath.get(path);
        ok += statuses.getOrDefault(path + " 200", 0);
      }
    }
    assertThat(ok).as("requests answered 200").isGreaterThan(replay != null ? -1 : served / 10);
  }

  private static EntityExchangeResult<byte[]> send(WebTestClient client, RequestFuzzer.Case c) {
    return client
        .post()
        .uri(c.path())
        .contentType(MediaType.parseMediaType(c.contentType()))
        .bodyValue(c.body())
        .exchange()
        .expectBody(byte[].class)
        .returnResult();
  }

  /** The status alone when the answer is acceptable, else what is wrong with it. */
  private static String verdict(EntityExchangeResult<byte[]> result) {
    int status = result.getStatus().value();
    MediaType type = result.getResponseHeaders().getContentType();
    if (status >= 500 || (status >= 300 && status < 400) || status < 200) {
      return status + " " + body(result);
    }
    if (status >= 400 && !MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(type)) {
      return status + " answered as " + type + ", not problem+json: " + body(result);
    }
    if (status >= 400 && !body(result).contains("\"detail\"")) {
      return status + " problem without a detail: " + body(result);
    }
    return String.valueOf(status);
  }

  private static String body(EntityExchangeResult<byte[]> result) {
    byte[] body = result.getResponseBody();
    String text = body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8);
    return text.length() > 400 ? text.substring(0, 400) + "…" : text;
  }
}
