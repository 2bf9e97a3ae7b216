package io.lmserve.generation;

import io.lmserve.generation.model.BatchModel;
import io.lmserve.generation.model.Sequence;
import java.util.function.Consumer;

/**
 * Runs one request alone on the calling thread, step by step with its own KV cache. The reference
 * the batching scheduler must agree with, and the simple path for a command line.
 */
public final class Generator {

  private Generator() {}

  /**
   * Generates, delivering every event to {@code listener} on this thread; returns when finished.
   *
   * @throws InvalidRequestException before any event when the request does not fit the model
   */
  public static void run(
      BatchModel model, GenerationRequest request, Consumer<GenerationEvent> listener) {
    Completion completion = Completion.of(request, model, listener, System::nanoTime);
    try (Sequence sequence = model.newSequence(completion.capacity())) {
      boolean more = completion.accept(sequence.prefill(completion.prompt()));
      while (more) {
        String stop = completion.stopRequest();
        if (stop != null) {
          completion.finish(FinishReason.CANCELLED, stop);
          return;
        }
        more = completion.accept(sequence.decode(completion.lastToken()));
      }
    } catch (RuntimeException e) {
      completion.finish(FinishReason.ERROR, String.valueOf(e.getMessage()));
    }
  }

  /** Generates and returns the collected result. */
  public static GenerationResult generate(BatchModel model, GenerationRequest request) {
    GenerationResult.Collector collector = new GenerationResult.Collector();
    run(model, request, collector);
    return collector.result().join();
  }
}
