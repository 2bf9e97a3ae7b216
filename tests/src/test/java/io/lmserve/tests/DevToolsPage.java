package io.lmserve.tests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A page open in headless Chromium, watched live through the DevTools protocol (the JDK's WebSocket
 * client): for pages that keep changing after they load, such as a streamed generation, where a
 * one-shot {@code --dump-dom} could catch them half way.
 */
final class DevToolsPage implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.shared();

  private final Process browser;
  private final HttpClient http = HttpClient.newHttpClient();
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private DevToolsPage(Process browser, URI debugger) {
    this.browser = browser;
    this.socket = http.newWebSocketBuilder().buildAsync(debugger, new Answers()).join();
  }

  /** Opens {@code url}; {@code profile} is a fresh folder for the browser's files. */
  static DevToolsPage open(Path chromium, Path profile, String url)
      throws IOException, InterruptedException {
    Files.createDirectories(profile);
    Process browser =
        new ProcessBuilder(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--user-data-dir=" + profile,
                "--remote-debugging-port=0", // the port it picks is written to DevToolsActivePort
                url)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolve("chromium.log").toFile())
            .start();
    try {
      Path activePort = profile.resolve("DevToolsActivePort");
      String port = awaitFirstLine(activePort, browser);
      JsonNode targets =
          JSON.readTree(
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      for (JsonNode target : targets) {
        if (target.get("type").asString().equals("page")) {
          return new DevToolsPage(
              browser, URI.create(target.get("webSocketDebuggerUrl").asString()));
        }
      }
      throw new IllegalStateException("no page among the browser's targets: " + targets);
    } catch (IOException | InterruptedException | RuntimeException e) {
      browser.destroyForcibly();
      throw e;
    }
  }

  private static String awaitFirstLine(Path file, Process browser)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline) && browser.isAlive()) {
      if (Files.exists(file)) {
        String text = Files.readString(file);
        int end = text.indexOf('\n');
        if (end > 0) {
          return text.substring(0, end).trim();
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("Chromium did not open its DevTools port (see chromium.log)");
  }

  /** The value of a JavaScript expression in the page, as JSON. */
  JsonNode evaluate(String expression) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    answers.put(id, answer);
    ObjectNode call = JSON.createObjectNode();
    call.put("id", id);
    call.put("method", "Runtime.evaluate");
    call.putObject("params").put("expression", expression).put("returnByValue", true);
    socket.sendText(JSON.writeValueAsString(call), true).join();
    JsonNode result = answer.get(30, TimeUnit.SECONDS);
    return result.path("result").path("result").path("value");
  }

  /** Evaluates {@code expression} until its value satisfies {@code done}; that value. */
  JsonNode await(String expression, Predicate<JsonNode> done, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode value = evaluate(expression);
    while (!done.test(value)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("page state not reached in " + timeout + ": " + value);
      }
      Thread.sleep(50);
      value = evaluate(expression);
    }
    return value;
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    browser.destroy();
    if (!browser.waitFor(10, TimeUnit.SECONDS)) {
      browser.destroyForcibly();
    }
    http.close();
  }

  /** Collects the protocol's answers (text frames may arrive in parts) by their id. */
  private final class Answers implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonNode message = JSON.readTree(partial.toString());
        partial.setLength(0);
        JsonNode id = message.get("id");
        if (id != null) {
          CompletableFuture<JsonNode> answer = answers.remove(id.asInt());
          if (answer != null) {
            answer.complete(message);
          }
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
