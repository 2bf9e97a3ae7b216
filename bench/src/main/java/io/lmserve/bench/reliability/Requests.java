package io.lmserve.bench.reliability;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** The requests the reliability run sends, built in one place. */
final class Requests {

  static final String PROMPT = "And God said, Let there be light";

  private Requests() {}

  /** A JSON POST with a time-out. */
  static HttpRequest postJson(URI uri, String json, Duration timeout) {
    return HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** A generation request body for the prompt; {@code extra} is more JSON members, or empty. */
  static String generation(int maxNewTokens, String extra) {
    return "{\"prompt\":\""
        + PROMPT
        + "\",\"max_new_tokens\":"
        + maxNewTokens
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }
}
