package io.lmserve.tokenizer.training;

/**
 * Hears how training advances. Called from the training thread only; a slow listener slows
 * training, so listeners should only record or draw.
 */
@FunctionalInterface
public interface TrainingProgress {

  /** A listener that ignores everything. */
  TrainingProgress NONE = (stage, done, total) -> {};

  /**
   * {@code done} units of {@code total} are finished in {@code stage} (e.g. "count words", "merge",
   * "prune"); {@code total} is -1 when unknown.
   */
  void update(String stage, long done, long total);
}
