package io.lmserve.generation.schedule;

/** The scheduler's waiting queue is full; the caller should retry later (HTTP 429/503). */
public final class QueueFullException extends RuntimeException {

  private final int capacity;

  public QueueFullException(int capacity) {
    super("the generation queue is full (" + capacity + " requests waiting); retry later");
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }
}
