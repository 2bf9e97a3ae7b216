package io.lmserve.generation;

/**
 * What a generation streams: one {@link TokenEvent} per token, then exactly one {@link Finished}.
 */
public sealed interface GenerationEvent permits TokenEvent, GenerationEvent.Finished {

  /**
   * The last event of every generation.
   *
   * @param reason why it ended
   * @param usage token counts and timings
   * @param message what went wrong for {@code ERROR}, who cancelled for {@code CANCELLED}, else ""
   */
  record Finished(FinishReason reason, Usage usage, String message) implements GenerationEvent {}
}
