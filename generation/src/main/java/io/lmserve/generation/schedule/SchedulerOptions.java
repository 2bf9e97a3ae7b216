package io.lmserve.generation.schedule;

import io.lmserve.generation.GenerationLimits;

/**
 * @param maxBatchSize most sequences decoding together; bounds the KV cache memory in use
 * @param queueCapacity most requests waiting for a batch slot; more are rejected
 * @param limits bounds on each request's parameters
 * @param prefillChunkTokens most prompt tokens prefilled between two decode steps
 */
public record SchedulerOptions(
    int maxBatchSize, int queueCapacity, GenerationLimits limits, int prefillChunkTokens) {

  public static final int DEFAULT_PREFILL_CHUNK = 256;

  public static final SchedulerOptions DEFAULT =
      new SchedulerOptions(16, 256, GenerationLimits.DEFAULT);

  public SchedulerOptions {
    if (maxBatchSize < 1 || queueCapacity < 0 || limits == null || prefillChunkTokens < 1) {
      throw new IllegalArgumentException(
          "maxBatchSize and prefillChunkTokens must be >= 1, queueCapacity >= 0, limits given: "
              + maxBatchSize
              + ", "
              + prefillChunkTokens
              + ", "
              + queueCapacity);
    }
  }

  /** With the default prefill chunk. */
  public SchedulerOptions(int maxBatchSize, int queueCapacity, GenerationLimits limits) {
    this(maxBatchSize, queueCapacity, limits, DEFAULT_PREFILL_CHUNK);
  }
}
