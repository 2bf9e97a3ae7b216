package io.lmserve.tokenizer.training;

import java.time.Duration;

/**
 * What a training run did, for the closing line of a report.
 *
 * @param type the tokenizer type
 * @param vocabSize the vocabulary size reached (may be below the request for a small corpus)
 * @param lines lines read
 * @param distinctWords distinct words counted
 * @param alphabetSize characters in the alphabet
 * @param characterCoverage fraction of character occurrences the alphabet covers
 * @param elapsed wall-clock time of the whole run
 */
public record TrainingSummary(
    TrainerType type,
    int vocabSize,
    long lines,
    int distinctWords,
    int alphabetSize,
    double characterCoverage,
    Duration elapsed) {

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "%s: vocab %d, %d lines, %d distinct words, alphabet %d (%.4f%% of characters), %.1f s",
        type.cliName(),
        vocabSize,
        lines,
        distinctWords,
        alphabetSize,
        100 * characterCoverage,
        elapsed.toMillis() / 1000.0);
  }
}
