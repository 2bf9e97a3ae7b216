package io.lmserve.generation.schedule;

/** A submitted request: lets the caller cancel it. */
public interface RequestHandle {

  /**
   * Stops the request: a waiting one ends at once, a running one before its next decode step; its
   * KV cache is freed. The final event says {@code CANCELLED}. Does nothing once finished.
   */
  default void cancel() {
    cancel("cancelled by the caller");
  }

  /** {@link #cancel()} with the reason the final event's message gives (who stopped it, why). */
  void cancel(String reason);

  boolean isFinished();
}
