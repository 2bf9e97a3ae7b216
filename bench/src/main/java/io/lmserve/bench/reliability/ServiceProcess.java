package io.lmserve.bench.reliability;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The service as a child JVM on a free loopback port, started from the built exec jar with this
 * checkout's configuration: the bench talks to it over real HTTP and can signal, inspect and kill
 * it like an orchestrator would.
 */
final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the service with {@code extraArgs} (Spring properties as {@code --name=value}) and waits
   * until readiness is UP.
   */
  static ServiceProcess start(Path root, List<String> extraArgs, Duration readyWithin)
      throws IOException, InterruptedException {
    Path jar = root.resolve("service/target/lmserve-service-exec.jar");
    Path flags = root.resolve("cli/target/jvm.flags");
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(flags)) {
      throw new IllegalStateException(
          "the service is not built: run ./mvnw -q -DskipTests -pl cli,service -am package");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(Files.readString(flags).trim().split("\\s+")));
    command.addAll(List.of("-Xmx1g", "-Dlmserve.root=" + root));
    command.addAll(List.of("-jar", jar.toString()));
    command.add("--spring.config.additional-location=optional:file:" + root + "/config/");
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.addAll(extraArgs);
    Path log = Files.createTempFile("lmserve-reliability-", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServiceProcess service = new ServiceProcess(process, port, log);
    service.awaitReady(readyWithin);
    return service;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private void awaitReady(Duration within) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the service exited with " + process.exitValue() + " while starting; see " + log);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("the service was not ready within " + within + "; see " + log);
  }

  /** The sum over all label sets of a Prometheus sample, or NaN when the metric is absent. */
  double metric(String name) throws IOException, InterruptedException {
    return Prometheus.sum(scrape(), name);
  }

  String scrape() throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(uri("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Runs a full GC in the service (jcmd) and returns the heap in use after it, in bytes. */
  double heapAfterGc() throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process gc =
        new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!gc.waitFor(60, TimeUnit.SECONDS)) {
      gc.destroyForcibly();
    }
    return Prometheus.sum(scrape(), "jvm_memory_used_bytes", "area=\"heap\"");
  }

  /**
   * Heap in use after a full GC less what the encoding cache holds by its own estimate: the cache
   * fills up to its configured bound under the bad-input and load phases, which is growth by
   * design, not a leak.
   */
  double heapAfterGcWithoutCache() throws IOException, InterruptedException {
    double heap = heapAfterGc();
    double cache = Prometheus.sum(scrape(), "lmserve_encodings_weight_bytes");
    return Double.isNaN(cache) ? heap : heap - cache;
  }

  /** SIGTERM, as Kubernetes or systemd stop a pod; returns the exit code, or -1 on time-out. */
  int terminate(Duration within) throws InterruptedException {
    process.destroy();
    if (process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    return -1;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
