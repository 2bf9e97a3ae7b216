package io.lmserve.tokenizer.training;

import io.lmserve.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of a training run: the vocabulary, a ready {@link Tokenizer} and a summary.
 *
 * <p>BPE, byte-level BPE, WordPiece and SentencePiece BPE are saved by the tokenizer's own saver
 * ({@code tokenizer.json} plus the family's native files). Unigram is saved as the files the
 * trainer wrote, a HF {@code tokenizer.json} with a Unigram model and a SentencePiece-style {@code
 * unigram.vocab} (piece, tab, score); its tokenizer is read from that same {@code tokenizer.json}.
 *
 * @param vocabulary tokens by id
 * @param tokenizer the trained tokenizer
 * @param files file name to content, written instead of the tokenizer's own save when present
 * @param summary what the run did
 */
public record TrainedTokenizer(
    List<String> vocabulary,
    Tokenizer tokenizer,
    Map<String, byte[]> files,
    TrainingSummary summary) {

  public TrainedTokenizer {
    vocabulary = List.copyOf(vocabulary);
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    if (tokenizer == null) {
      throw new IllegalArgumentException("a trained tokenizer needs its tokenizer");
    }
  }

  /** The ready tokenizer (present for every trainer type). */
  public Optional<Tokenizer> asTokenizer() {
    return Optional.of(tokenizer);
  }

  /** Writes the tokenizer's files into {@code folder}, created if needed. */
  public void save(Path folder) throws IOException {
    if (files.isEmpty()) {
      tokenizer.save(folder);
      return;
    }
    Files.createDirectories(folder);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(folder.resolve(file.getKey()), file.getValue());
    }
  }
}
