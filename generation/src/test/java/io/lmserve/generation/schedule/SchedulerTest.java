package io.lmserve.generation.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.generation.FinishReason;
import io.lmserve.generation.GenerationLimits;
import io.lmserve.generation.GenerationParams;
import io.lmserve.generation.GenerationRequest;
import io.lmserve.generation.GenerationResult;
import io.lmserve.generation.Generator;
import io.lmserve.generation.InvalidRequestException;
import io.lmserve.generation.TokenEvent;
import io.lmserve.generation.model.FakeModel;
import io.lmserve.generation.sampling.SamplingParams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SchedulerTest {

  private final FakeModel model = new FakeModel(50, 128, OptionalInt.empty());

  private static int[] prompt(int i) {
    return new int[] {i % 50, (i * 7 + 3) % 50, (i * 13 + 5) % 50};
  }

  private static GenerationResult await(GenerationResult.Collector collector) throws Exception {
    return collector.result().get(20, TimeUnit.SECONDS);
  }

  /** Lets the test hold the scheduler before a step and release one step at a time. */
  private static final class StepGate {
    final Semaphore permits = new Semaphore(0);
    final Semaphore arrived = new Semaphore(0);

    void install(FakeModel model) {
      model.beforeStep(
          () -> {
            arrived.release();
            permits.acquireUninterruptibly();
          });
    }

    /** Waits until the scheduler is blocked before its next step. */
    void awaitArrival() throws InterruptedException {
      assertTrue(arrived.tryAcquire(20, TimeUnit.SECONDS), "scheduler did not reach a step");
    }

    void openForever() {
      permits.release(1_000_000);
    }
  }

  private void assertBatchedGreedyEqualsAlone(int concurrent) throws Exception {
    GenerationParams params = GenerationParams.greedy(24);
    StepGate gate = new StepGate();
    gate.install(model);
    List<GenerationResult.Collector> collectors = new ArrayList<>();
    try (Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(16, 64, GenerationLimits.DEFAULT))) {
      for (int i = 0; i < concurrent; i++) {
        GenerationResult.Collector c = new GenerationResult.Collector();
        // different lengths so sequences in one batch are at different positions
        scheduler.submit(GenerationRequest.ofIds(prompt(i), params.withMaxNewTokens(12 + i)), c);
        collectors.add(c);
      }
      gate.openForever();
      for (int i = 0; i < concurrent; i++) {
        GenerationResult alone =
            Generator.generate(
                model, GenerationRequest.ofIds(prompt(i), params.withMaxNewTokens(12 + i)));
        assertArrayEquals(alone.tokenIds(), await(collectors.get(i)).tokenIds(), "request " + i);
      }
    }
    assertEquals(concurrent, Collections.max(model.batchSizes()), "all decoded in one batch");
    assertEquals(0, model.openSequences());
  }

  @Test
  void greedyThroughTheSchedulerEqualsGreedyAlone() throws Exception {
    for (int concurrent : new int[] {1, 4, 16}) {
      assertBatchedGreedyEqualsAlone(concurrent);
    }
  }

  @Test
  void seededSamplingThroughTheSchedulerEqualsSamplingAlone() throws Exception {
    GenerationParams params =
        GenerationParams.DEFAULT
            .withMaxNewTokens(16)
            .withSampling(SamplingParams.DEFAULT.withTopP(0.9).withSeed(1234L));
    List<GenerationResult.Collector> collectors = new ArrayList<>();
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      for (int i = 0; i < 6; i++) {
        GenerationResult.Collector c = new GenerationResult.Collector();
        scheduler.submit(GenerationRequest.ofIds(prompt(i), params), c);
        collectors.add(c);
      }
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(
            Generator.generate(model, GenerationRequest.ofIds(prompt(i), params)).tokenIds(),
            await(collectors.get(i)).tokenIds());
      }
    }
  }

  @Test
  void newRequestsJoinARunningBatchBetweenSteps() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector first = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(10)), first);
      gate.awaitArrival(); // first is prefilled and about to decode alone
      GenerationResult.Collector second = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(2), GenerationParams.greedy(10)), second);
      gate.permits.release(); // step 1 (batch of 1)
      gate.awaitArrival(); // second joined: the next step has both
      gate.openForever();
      assertEquals(10, await(first).tokenIds().length);
      assertEquals(10, await(second).tokenIds().length);
    }
    assertEquals(List.of(1, 2), model.batchSizes().subList(0, 2));
  }

  @Test
  void aLongPromptIsPrefilledInChunksBetweenTheStepsOfRunningStreams() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    try (Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(16, 64, GenerationLimits.DEFAULT, 4))) {
      GenerationResult.Collector streaming = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(10)), streaming);
      gate.awaitArrival(); // the stream is about to take its first step
      int[] longPrompt = new int[10];
      java.util.Arrays.fill(longPrompt, 7);
      GenerationResult.Collector joining = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(longPrompt, GenerationParams.greedy(3)), joining);
      gate.openForever();
      FakeModel twin = new FakeModel(50, 128, OptionalInt.empty()); // same logits, own log
      assertArrayEquals(
          Generator.generate(twin, GenerationRequest.ofIds(longPrompt, GenerationParams.greedy(3)))
              .tokenIds(),
          await(joining).tokenIds());
      await(streaming);
    }
    assertEquals(
        List.of(
            "prefill:3",
            "step:1",
            "prefill:4",
            "step:1",
            "prefill:4",
            "step:1",
            "prefill:2",
            "step:2"),
        model.operations().subList(0, 8));
  }

  @Test
  void cancellingARunningRequestStopsItWithinOneStepAndFreesItsCache() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector c = new GenerationResult.Collector();
      RequestHandle handle =
          scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(100)), c);
      for (int step = 0; step < 3; step++) {
        gate.awaitArrival();
        gate.permits.release();
      }
      gate.awaitArrival(); // before step 4: prefill token + 3 decoded tokens so far
      assertEquals(1, scheduler.activeSequences());
      assertEquals(FakeModel.BYTES_PER_SEQUENCE, scheduler.cacheBytesInUse());
      handle.cancel();
      gate.openForever(); // the step already under way completes, then the request leaves
      GenerationResult result = await(c);
      assertEquals(FinishReason.CANCELLED, result.reason());
      assertEquals(5, result.tokenIds().length, "at most the step in flight after cancel");
      assertEquals("cancelled by the caller", result.finished().message());
      waitUntil(() -> scheduler.activeSequences() == 0);
      assertEquals(0, scheduler.cacheBytesInUse());
      assertEquals(0, model.openSequences());
      assertTrue(handle.isFinished());
    }
  }

  @Test
  void aFullQueueRejectsWithATypedErrorAndAdmissionIsFifo() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    List<Integer> firstTokenOrder = Collections.synchronizedList(new ArrayList<>());
    try (Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(1, 3, GenerationLimits.DEFAULT))) {
      List<GenerationResult.Collector> collectors = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int request = i;
        GenerationResult.Collector c = new GenerationResult.Collector();
        collectors.add(c);
        scheduler.submit(
            GenerationRequest.ofIds(prompt(i), GenerationParams.greedy(3)),
            event -> {
              if (event instanceof TokenEvent t && t.index() == 0) {
                firstTokenOrder.add(request);
              }
              c.accept(event);
            });
        if (i == 0) {
          gate.awaitArrival(); // request 0 runs (batch size 1); the others must wait
        }
      }
      assertEquals(3, scheduler.queued());
      QueueFullException full =
          assertThrows(
              QueueFullException.class,
              () ->
                  scheduler.submit(
                      GenerationRequest.ofIds(prompt(9), GenerationParams.greedy(3)),
                      new GenerationResult.Collector()));
      assertEquals(3, full.capacity());
      gate.openForever();
      for (GenerationResult.Collector c : collectors) {
        assertEquals(FinishReason.LENGTH, await(c).reason());
      }
    }
    assertEquals(List.of(0, 1, 2, 3), firstTokenOrder);
    assertTrue(model.batchSizes().stream().allMatch(size -> size == 1));
  }

  @Test
  void cancellingAWaitingRequestEndsItAtOnceWithoutTokens() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    try (Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(1, 8, GenerationLimits.DEFAULT))) {
      GenerationResult.Collector running = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(5)), running);
      gate.awaitArrival();
      GenerationResult.Collector waiting = new GenerationResult.Collector();
      RequestHandle handle =
          scheduler.submit(GenerationRequest.ofIds(prompt(2), GenerationParams.greedy(5)), waiting);
      handle.cancel();
      GenerationResult result = await(waiting); // while the scheduler is still held
      assertEquals(FinishReason.CANCELLED, result.reason());
      assertEquals(0, result.tokenIds().length);
      assertEquals(0, scheduler.queued());
      gate.openForever();
      assertEquals(FinishReason.LENGTH, await(running).reason());
    }
  }

  @Test
  void aRequestPastItsDeadlineIsCancelledBeforeItsNextStep() throws Exception {
    AtomicLong clock = new AtomicLong();
    model.beforeStep(() -> clock.addAndGet(Duration.ofSeconds(1).toNanos()));
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT, clock::get)) {
      GenerationResult.Collector c = new GenerationResult.Collector();
      scheduler.submit(
          GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(100))
              .withDeadline(Instant.now().plusMillis(3500)),
          c);
      GenerationResult result = await(c);
      assertEquals(FinishReason.CANCELLED, result.reason());
      assertEquals("deadline exceeded", result.finished().message());
      // prefill token at t=0, steps at t=1..4 each add one; before the step at t=4 -> stop
      assertEquals(5, result.tokenIds().length);
    }
    assertEquals(0, model.openSequences());
  }

  @Test
  void aFailingStepEndsItsRequestsWithAnErrorAndTheSchedulerGoesOn() throws Exception {
    model.beforeStep(
        () -> {
          throw new IllegalStateException("boom");
        });
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector failing = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(5)), failing);
      GenerationResult result = await(failing);
      assertEquals(FinishReason.ERROR, result.reason());
      assertTrue(result.finished().message().contains("boom"));
      model.beforeStep(() -> {});
      GenerationResult.Collector next = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(2), GenerationParams.greedy(5)), next);
      assertEquals(FinishReason.LENGTH, await(next).reason());
    }
    assertEquals(0, model.openSequences());
  }

  @Test
  void aFaultReadingMappedWeightsEndsItsRequestsAndTheSchedulerGoesOn() throws Exception {
    // What the JVM throws when the weights file was truncated under its memory mapping.
    model.beforeStep(
        () -> {
          throw new InternalError("a fault occurred in an unsafe memory access operation");
        });
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector failing = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(5)), failing);
      assertEquals(FinishReason.ERROR, await(failing).reason());
      model.beforeStep(() -> {});
      GenerationResult.Collector next = new GenerationResult.Collector();
      scheduler.submit(GenerationRequest.ofIds(prompt(2), GenerationParams.greedy(5)), next);
      assertEquals(FinishReason.LENGTH, await(next).reason());
    }
    assertEquals(0, model.openSequences());
  }

  @Test
  void aFailingTextDecoderEndsOnlyItsOwnRequest() throws Exception {
    try (Scheduler scheduler = new Scheduler(model, SchedulerOptions.DEFAULT)) {
      GenerationResult.Collector failing = new GenerationResult.Collector();
      GenerationResult.Collector healthy = new GenerationResult.Collector();
      scheduler.submit(
          new GenerationRequest(
              prompt(1),
              GenerationParams.greedy(10),
              id -> {
                throw new IllegalStateException("bad bytes");
              },
              null),
          failing);
      scheduler.submit(GenerationRequest.ofIds(prompt(2), GenerationParams.greedy(10)), healthy);
      GenerationResult result = await(failing);
      assertEquals(FinishReason.ERROR, result.reason());
      assertTrue(result.finished().message().contains("bad bytes"));
      assertEquals(FinishReason.LENGTH, await(healthy).reason());
    }
    assertEquals(0, model.openSequences());
  }

  @Test
  void invalidRequestsAreRejectedAtSubmitAndCloseCancelsTheRest() throws Exception {
    StepGate gate = new StepGate();
    gate.install(model);
    Scheduler scheduler =
        new Scheduler(model, new SchedulerOptions(4, 8, new GenerationLimits(50, 4, 16, 5, 1000)));
    InvalidRequestException tooMany =
        assertThrows(
            InvalidRequestException.class,
            () ->
                scheduler.submit(
                    GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(51)), event -> {}));
    assertEquals("max_new_tokens", tooMany.field());
    GenerationResult.Collector c = new GenerationResult.Collector();
    scheduler.submit(GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(50)), c);
    gate.awaitArrival();
    Thread closer = Thread.ofPlatform().start(scheduler::close);
    waitUntil(scheduler::isClosed);
    gate.openForever();
    closer.join();
    GenerationResult result = await(c);
    assertEquals(FinishReason.CANCELLED, result.reason());
    assertEquals(0, model.openSequences());
    assertThrows(
        IllegalStateException.class,
        () ->
            scheduler.submit(
                GenerationRequest.ofIds(prompt(1), GenerationParams.greedy(5)), e -> {}));
  }

  /** Polls a condition the scheduler thread makes true shortly after an event was delivered. */
  private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    for (int i = 0; i < 2000 && !condition.getAsBoolean(); i++) {
      never.await(5, TimeUnit.MILLISECONDS);
    }
    assertTrue(condition.getAsBoolean());
  }
}
