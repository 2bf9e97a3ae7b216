package io.lmserve.generation.schedule;

import io.lmserve.generation.GenerationLimits;

/**
 * @param maxBatchSize most sequences decoding together; bounds the KV cache memory in use
 * @param queueCapacity most requests waiting for a batch slot; more are rejected
 * @param limits bounds on each request's parameters
 */
public record SchedulerOptions(int maxBatchSize, int queueCapacity, GenerationLimits limits) {

  public static final SchedulerOptions DEFAULT =
      new SchedulerOptions(16, 256, GenerationLimits.DEFAULT);

  public SchedulerOptions {
    if (maxBatchSize < 1 || queueCapacity < 0 || limits == null) {
      throw new IllegalArgumentException(
          "maxBatchSize must be >= 1, queueCapacity >= 0 and limits given: "
              + maxBatchSize
              + ", "
              + queueCapacity);
    }
  }
}
