package io.lmserve.service.generate;

import static io.lmserve.service.Problems.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.lmserve.generation.model.BatchModel;
import io.lmserve.generation.model.CausalLmModel;
import io.lmserve.generation.model.Sequence;
import io.lmserve.service.SseFrames;
import io.lmserve.service.TinyServedModels;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.models.ModelLoader;
import io.lmserve.service.models.ModelRegistry;
import io.lmserve.transformer.CausalLm;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * A running generation's life over real HTTP, with the tiny GPT-2 slowed to 20 ms per step so
 * streams last long enough to watch, one sequence per batch and one waiting place: a client that
 * leaves frees its sequence (seen in the active-sequences gauge), a full queue answers 429, and
 * shutdown refuses new generations and cancels the running ones after the grace period.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "lmserve.generation.max-batch-size=1",
      "lmserve.generation.queue-capacity=1",
      "lmserve.generation.shutdown-grace=1s"
    })
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GenerationLifecycleTest {

  static final long STEP_MILLIS = 20;

  @TestConfiguration
  static class SlowSteps {
    @Bean
    @Primary
    ModelLoader slowLoader(LmserveProperties properties) {
      return new ModelLoader(properties) {
        @Override
        protected BatchModel batchModel(CausalLm model) {
          return new SlowModel(new CausalLmModel(model));
        }
      };
    }
  }

  /** The engine's model with a pause before every decode step. */
  record SlowModel(BatchModel model) implements BatchModel {
    @Override
    public int vocabSize() {
      return model.vocabSize();
    }

    @Override
    public int contextLength() {
      return model.contextLength();
    }

    @Override
    public OptionalInt eosTokenId() {
      return model.eosTokenId();
    }

    @Override
    public Sequence newSequence(int capacity) {
      return model.newSequence(capacity);
    }

    @Override
    public float[][] decodeBatch(List<Sequence> sequences, int[] tokens) {
      try {
        Thread.sleep(STEP_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return model.decodeBatch(sequences, tokens);
    }
  }

  @DynamicPropertySource
  static void tinyModels(DynamicPropertyRegistry properties) {
    TinyServedModels.register(properties);
  }

  @Autowired WebTestClient client;
  @Autowired ModelRegistry registry;
  @Autowired MeterRegistry meters;
  @Autowired GenerationAdmission admission;

  private static final Map<String, Object> LONG =
      Map.of("prompt", "Hello", "max_new_tokens", 120, "ignore_eos", true, "temperature", 0);

  @BeforeEach
  void modelsLoadedAndIdle() throws InterruptedException {
    await("models loaded", registry::allReady);
    await("no generation left from the last test", () -> admission.running() == 0);
    await("no sequence left", () -> gauge("lmserve.generation.active.sequences") == 0);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as(what).isBefore(deadline);
      Thread.sleep(5);
    }
  }

  private double gauge(String name) {
    return meters.get(name).tag("model", TinyServedModels.GPT2).gauge().value();
  }

  private double cancelledRequests() {
    var counter =
        meters
            .find("lmserve.generation.requests")
            .tags("model", TinyServedModels.GPT2, "finish_reason", "cancelled")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  /** A long greedy generation posted to {@code path}. */
  private WebTestClient.ResponseSpec postLong(String path) {
    return post(path, LONG);
  }

  private WebTestClient.ResponseSpec post(String path, Map<String, Object> body) {
    return client
        .post()
        .uri(path)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private Flux<DataBuffer> openStream() {
    return postLong("/v1/generate/stream")
        .expectStatus()
        .isOk()
        .returnResult(DataBuffer.class)
        .getResponseBody();
  }

  @Test
  @Order(1)
  void aClientThatLeavesFreesItsSequence() throws Exception {
    double cancelledBefore = cancelledRequests();
    // Read the first piece of the stream, then hang up (take(1) cancels the body).
    String first =
        openStream()
            .take(1)
            .map(
                b -> {
                  String text = b.toString(StandardCharsets.UTF_8);
                  DataBufferUtils.release(b);
                  return text;
                })
            .blockFirst(Duration.ofSeconds(30));
    assertThat(first).startsWith("event: token\ndata: {");
    // The stream would run 120 steps of 20 ms; it ends as cancelled, its sequence and cache freed.
    await("the request counted as cancelled", () -> cancelledRequests() == cancelledBefore + 1);
    await("active sequences back to 0", () -> gauge("lmserve.generation.active.sequences") == 0);
    assertThat(gauge("lmserve.generation.kv.cache.bytes")).isZero();
  }

  @Test
  @Order(2)
  void aFullQueueIs429WithRetryAfter() throws Exception {
    // One running (batch of 1), one waiting (queue of 1): the third is refused.
    var running = openStream().map(b -> 1).subscribe();
    await("one decoding", () -> gauge("lmserve.generation.active.sequences") == 1);
    var waiting = openStream().map(b -> 1).subscribe();
    await("one waiting", () -> gauge("lmserve.generation.queue.depth") == 1);
    try {
      problem(
              postLong("/v1/generate").expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "5"),
              429)
          .jsonPath("$.queue")
          .isEqualTo("generation")
          .jsonPath("$.capacity")
          .isEqualTo(1);
    } finally {
      running.dispose();
      waiting.dispose();
    }
  }

  @Test
  @Order(3)
  void shutdownLetsTheQueuedAndTheRunningFinishWithinTheGrace() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(3);
    Map<String, Object> first =
        Map.of("prompt", "Hello", "max_new_tokens", 20, "ignore_eos", true, "temperature", 0);
    Map<String, Object> second =
        Map.of("prompt", "Hello", "max_new_tokens", 6, "ignore_eos", true, "temperature", 0);
    List<CompletableFuture<String>> streams = new ArrayList<>();
    try {
      // One decoding (batch of 1), one waiting in the queue when the shutdown starts: both were
      // accepted, so both finish (20 + 6 steps of 20 ms, inside the 1 s grace).
      streams.add(
          CompletableFuture.supplyAsync(
              () ->
                  post("/v1/generate/stream", first)
                      .expectBody(String.class)
                      .returnResult()
                      .getResponseBody(),
              threads));
      await("one decoding", () -> gauge("lmserve.generation.active.sequences") == 1);
      streams.add(
          CompletableFuture.supplyAsync(
              () ->
                  post("/v1/generate/stream", second)
                      .expectBody(String.class)
                      .returnResult()
                      .getResponseBody(),
              threads));
      await("one waiting", () -> gauge("lmserve.generation.queue.depth") == 1);
      stopRefusingNewGenerations(threads);
      SseFrames running = SseFrames.parse(streams.get(0).get());
      SseFrames queued = SseFrames.parse(streams.get(1).get());
      assertThat(running.last().data()).contains("\"finish_reason\":\"length\"");
      assertThat(running.frames()).hasSize(21);
      assertThat(queued.last().event()).isEqualTo("done");
      assertThat(queued.last().data()).contains("\"finish_reason\":\"length\"");
      assertThat(queued.frames()).hasSize(7);
    } finally {
      admission.start();
      threads.shutdown();
    }
  }

  @Test
  @Order(4)
  @DirtiesContext
  void shutdownRefusesNewGenerationsAndCancelsTheRunningAfterTheGrace() throws Exception {
    // threads of its own: the common pool may have a single thread on a small machine
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<String> stream =
        CompletableFuture.supplyAsync(
            () ->
                postLong("/v1/generate/stream")
                    .expectBody(String.class)
                    .returnResult()
                    .getResponseBody(),
            threads);
    await("the stream admitted", () -> admission.running() == 1);
    await("one decoding", () -> gauge("lmserve.generation.active.sequences") == 1);
    stopRefusingNewGenerations(threads);
    SseFrames frames = SseFrames.parse(stream.get());
    // 120 steps would take 2.4 s; the grace is 1 s, then the stream ends as cancelled
    assertThat(frames.last().event()).isEqualTo("done");
    assertThat(frames.last().data()).contains("\"finish_reason\":\"cancelled\"");
    assertThat(frames.frames().size()).isLessThan(121);
    threads.shutdown();
  }

  /**
   * Stops admission on {@code threads} (which blocks while accepted generations drain) and checks,
   * once it has closed, that a new generation gets 503 "Shutting down" with Retry-After.
   */
  private void stopRefusingNewGenerations(ExecutorService threads) throws Exception {
    CompletableFuture<Void> stop = CompletableFuture.runAsync(admission::stop, threads);
    await("admission closed", () -> !admission.isRunning());
    problem(postLong("/v1/generate").expectHeader().exists(HttpHeaders.RETRY_AFTER), 503)
        .jsonPath("$.title")
        .isEqualTo("Shutting down");
    stop.get();
  }
}
