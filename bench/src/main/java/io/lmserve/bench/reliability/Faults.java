package io.lmserve.bench.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The faults a running service must survive, each a pass/fail check with what was seen. */
final class Faults {

  /** One fault and whether the service came through it. */
  record Check(String name, boolean passed, String detail) {}

  private static final String[] GAUGES = {
    "lmserve_generation_active_sequences", "lmserve_generation_kv_cache_bytes"
  };

  private Faults() {}

  /**
   * Waits until the active-sequence and KV-cache gauges read zero; returns what they last read
   * ("0/0" when they drained).
   */
  static String awaitDrained(ServiceProcess service, Duration within)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (true) {
      String scrape = service.scrape();
      double active = Prometheus.sum(scrape, GAUGES[0]);
      double kv = Prometheus.sum(scrape, GAUGES[1]);
      last = fmt(active) + "/" + fmt(kv);
      if ((active == 0 || Double.isNaN(active)) && (kv == 0 || Double.isNaN(kv))) {
        return Double.isNaN(active) ? "gauges absent" : last;
      }
      if (System.nanoTime() > deadline) {
        return last;
      }
      Thread.sleep(100);
    }
  }

  static boolean drained(String gauges) {
    return gauges.equals("0/0");
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "absent" : Long.toString((long) v);
  }

  /**
   * A client that sends a long streaming request and then never reads: the server's buffers must
   * stay bounded (other requests are still served while it hangs there) and the sequence is freed
   * once the client goes away.
   */
  static Check slowReader(ServiceProcess service, HttpClient client, int maxNewTokens)
      throws IOException, InterruptedException {
    // 20 alternatives per token make every event about a kilobyte.
    String body = Requests.generation(maxNewTokens, "\"logprobs\":20");
    double heapBefore = service.heapAfterGc();
    String served;
    String statusLine;
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", service.uri("/").getPort()));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/generate/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Accept: text/event-stream\r\nContent-Length: "
                  + body.getBytes(StandardCharsets.UTF_8).length
                  + "\r\n\r\n"
                  + body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      statusLine = readLine(socket.getInputStream());
      Thread.sleep(5_000); // never reading on: the socket buffers fill, the server must hold back
      served = tokenizeOnce(service, client);
    }
    String gauges = awaitDrained(service, Duration.ofSeconds(30));
    double heapAfter = service.heapAfterGc();
    boolean passed =
        statusLine.contains(" 200 ")
            && served.equals("200")
            && drained(gauges)
            && heapAfter < heapBefore + 64e6;
    return new Check(
        "slow client that never reads",
        passed,
        "stream answered '"
            + statusLine
            + "', other requests while it hung: "
            + served
            + "; sequences/KV bytes after it left: "
            + gauges
            + "; heap after GC "
            + mb(heapBefore)
            + " -> "
            + mb(heapAfter)
            + " MB");
  }

  /** A client whose deadline expires mid-stream gives up; the server frees the sequence. */
  static Check deadlineExpires(ServiceProcess service, HttpClient client, int maxNewTokens)
      throws IOException, InterruptedException {
    String body = Requests.generation(maxNewTokens, "");
    List<SseCall.Outcome> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<SseCall.Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        Callable<SseCall.Outcome> call =
            () ->
                SseCall.run(
                    client, service.uri("/v1/generate/stream"), body, -1, Duration.ofMillis(50));
        futures.add(pool.submit(call));
      }
      for (Future<SseCall.Outcome> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
    }
    Map<String, Integer> endings = new TreeMap<>();
    outcomes.forEach(o -> endings.merge(o.ending().toString(), 1, Integer::sum));
    String gauges = awaitDrained(service, Duration.ofSeconds(30));
    return new Check(
        "request deadline expires (client gives up after 50 ms)",
        drained(gauges) && endings.getOrDefault("TIMEOUT", 0) > 0,
        "client endings " + endings + "; sequences/KV bytes after: " + gauges);
  }

  /**
   * While streams run, the served model's weights file is truncated in place and then its folder is
   * deleted: the service keeps answering (a problem document at worst, never a crash or hang).
   */
  static Check modelFolderDamaged(
      ServiceProcess service, HttpClient client, Path folder, int maxNewTokens)
      throws IOException, InterruptedException {
    String body = Requests.generation(maxNewTokens, "");
    Tally tally = new Tally();
    Runnable streams =
        () -> {
          for (int i = 0; i < 4; i++) {
            SseCall.Outcome o =
                SseCall.run(
                    client, service.uri("/v1/generate/stream"), body, -1, Duration.ofSeconds(60));
            tally.count(o.status() + " " + o.ending());
          }
        };
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(Thread.ofVirtual().start(streams));
    }
    Thread.sleep(300);
    // Corrupting in place, as `cp new old` does: the weights file is cut to half its length under
    // the live memory mapping. Then deleting: the names are gone for any reload.
    Path weights = folder.resolve("model.safetensors");
    if (Files.isRegularFile(weights)) {
      truncate(weights, Files.size(weights) / 2);
    }
    Thread.sleep(1_000);
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    for (Thread t : clients) {
      t.join();
    }
    String afterDelete = tokenizeOnce(service, client);
    SseCall.Outcome generateAfter =
        SseCall.run(client, service.uri("/v1/generate/stream"), body, -1, Duration.ofSeconds(60));
    boolean alive = service.isAlive();
    Map<String, Integer> seen = tally.counts();
    boolean clean =
        alive
            && seen.keySet().stream().noneMatch(k -> k.startsWith("5") || k.contains("IO_ERROR"))
            && seen.keySet().stream().noneMatch(k -> k.contains("TIMEOUT"));
    return new Check(
        "model folder corrupted, then deleted, while serving",
        clean
            && afterDelete.equals("200")
            && generateAfter.status() < 500
            && (generateAfter.ending() == SseCall.Ending.DONE
                || generateAfter.ending() == SseCall.Ending.ERROR_EVENT
                || generateAfter.ending() == SseCall.Ending.REFUSED),
        "streams "
            + seen
            + "; after it: tokenize "
            + afterDelete
            + ", generation "
            + generateAfter.status()
            + " "
            + generateAfter.ending()
            + "; service alive: "
            + alive);
  }

  /** Truncates a file in place (what a half-finished copy over the model would leave). */
  static void truncate(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  /**
   * SIGTERM while streams run: streams in flight finish (or end with an error event), the process
   * exits by itself within the grace period, and nothing hangs.
   */
  static Check sigtermUnderLoad(
      ServiceProcess service, HttpClient client, int streams, int maxNewTokens, Duration grace)
      throws InterruptedException {
    String body = Requests.generation(maxNewTokens, "");
    Tally tally = new Tally();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    SseCall.Outcome o =
                        SseCall.run(
                            client,
                            service.uri("/v1/generate/stream"),
                            body,
                            -1,
                            grace.plusSeconds(30));
                    tally.count(o.status() + " " + o.ending());
                  }));
    }
    Thread.sleep(1_000);
    long t0 = System.nanoTime();
    int exit = service.terminate(grace.plusSeconds(15));
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (Thread t : clients) {
      t.join();
    }
    Map<String, Integer> seen = tally.counts();
    int done = tally.get("200 DONE");
    int errorEvents = tally.get("200 ERROR_EVENT");
    int refused = tally.sumStartingWith("503") + tally.sumStartingWith("0 IO_ERROR");
    boolean cut =
        seen.keySet().stream()
            .anyMatch(
                k -> k.startsWith("200 ") && !k.equals("200 DONE") && !k.equals("200 ERROR_EVENT"));
    boolean passed = exit >= 0 && !cut && done + errorEvents + refused == streams;
    return new Check(
        "SIGTERM under load (graceful drain)",
        passed,
        String.format("exit code %d after %.1f s; %d streams: %s", exit, seconds, streams, seen));
  }

  /** One CRLF-terminated line, read byte by byte so nothing past it is consumed. */
  private static String readLine(java.io.InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static String tokenizeOnce(ServiceProcess service, HttpClient client)
      throws InterruptedException {
    try {
      HttpResponse<String> r =
          client.send(
              Requests.postJson(
                  service.uri("/v1/tokenize"),
                  "{\"text\":\"still there?\"}",
                  Duration.ofSeconds(10)),
              HttpResponse.BodyHandlers.ofString());
      return Integer.toString(r.statusCode());
    } catch (IOException e) {
      return e.getClass().getSimpleName();
    }
  }

  static String mb(double bytes) {
    return String.format("%.0f", bytes / 1e6);
  }
}
