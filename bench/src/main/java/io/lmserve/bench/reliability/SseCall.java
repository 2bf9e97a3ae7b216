package io.lmserve.bench.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One streamed generation as a client sees it: POST to {@code /v1/generate/stream}, read the SSE
 * events, and either read to the end or hang up after some tokens.
 */
final class SseCall {

  /** How a stream ended for the client. */
  enum Ending {
    DONE,
    ERROR_EVENT,
    DISCONNECTED,
    REFUSED,
    EOF_WITHOUT_DONE,
    TIMEOUT,
    IO_ERROR
  }

  /**
   * @param status the HTTP status (0 if none arrived)
   * @param retryAfter whether a refusal carried {@code Retry-After}
   * @param ttftNanos time from sending to the first token event (-1 if none)
   * @param totalNanos time from sending to the end
   */
  record Outcome(
      int status, boolean retryAfter, Ending ending, int tokens, long ttftNanos, long totalNanos) {}

  private SseCall() {}

  /**
   * Streams {@code body}; hangs up after {@code hangUpAfterTokens} token events (negative: never).
   */
  static Outcome run(
      HttpClient client, URI uri, String body, int hangUpAfterTokens, Duration timeout) {
    long start = System.nanoTime();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.net.http.HttpTimeoutException e) {
      return new Outcome(0, false, Ending.TIMEOUT, 0, -1, System.nanoTime() - start);
    } catch (IOException e) {
      return new Outcome(0, false, Ending.IO_ERROR, 0, -1, System.nanoTime() - start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(0, false, Ending.IO_ERROR, 0, -1, System.nanoTime() - start);
    }
    int status = response.statusCode();
    boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
    if (status != 200) {
      drain(response.body());
      return new Outcome(status, retryAfter, Ending.REFUSED, 0, -1, System.nanoTime() - start);
    }
    int tokens = 0;
    long ttft = -1;
    String event = null;
    long deadline = start + timeout.toNanos();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException();
        }
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          switch (event == null ? "" : event) {
            case "token" -> {
              if (ttft < 0) {
                ttft = System.nanoTime() - start;
              }
              tokens++;
              if (tokens == hangUpAfterTokens) {
                // Closing the body before its end drops the connection: the client has left.
                return new Outcome(
                    status, false, Ending.DISCONNECTED, tokens, ttft, System.nanoTime() - start);
              }
            }
            case "done" -> {
              return new Outcome(
                  status, false, Ending.DONE, tokens, ttft, System.nanoTime() - start);
            }
            case "error" -> {
              return new Outcome(
                  status, false, Ending.ERROR_EVENT, tokens, ttft, System.nanoTime() - start);
            }
            default -> {}
          }
        }
      }
      return new Outcome(
          status, false, Ending.EOF_WITHOUT_DONE, tokens, ttft, System.nanoTime() - start);
    } catch (TimeoutException e) {
      return new Outcome(status, false, Ending.TIMEOUT, tokens, ttft, System.nanoTime() - start);
    } catch (IOException e) {
      Ending ending =
          e instanceof java.net.http.HttpTimeoutException ? Ending.TIMEOUT : Ending.IO_ERROR;
      return new Outcome(status, false, ending, tokens, ttft, System.nanoTime() - start);
    }
  }

  private static void drain(InputStream body) {
    try (body) {
      body.readAllBytes();
    } catch (IOException ignored) {
      // the refusal's body is not needed
    }
  }
}
