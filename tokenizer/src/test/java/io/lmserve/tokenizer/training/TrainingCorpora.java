package io.lmserve.tokenizer.training;

import io.lmserve.testkit.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Small slices of the shared training corpus, for tests that must stay fast. */
final class TrainingCorpora {

  private TrainingCorpora() {}

  static Path spmTrain() {
    return SharedData.path("fixtures/tokenizers/corpus/spm_train.txt");
  }

  static Path spmHeldout() {
    return SharedData.path("fixtures/tokenizers/corpus/spm_heldout.txt");
  }

  /** The first {@code count} lines of the training corpus, split on \n only. */
  static List<String> firstLines(int count) {
    try (Stream<String> lines = Stream.of(Files.readString(spmTrain()).split("\n", -1))) {
      return lines.limit(count).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TrainingCorpus slice(int count) {
    return TrainingCorpus.ofLines(firstLines(count).iterator());
  }
}
