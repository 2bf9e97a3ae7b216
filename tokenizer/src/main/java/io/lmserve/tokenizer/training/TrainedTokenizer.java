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
 * The outcome of a training run: the vocabulary, the tokenizer and a summary.
 *
 * <p>BPE, byte-level BPE, WordPiece and SentencePiece BPE come as a ready {@link Tokenizer}, saved
 * by its own saver ({@code tokenizer.json} plus the family's native files). Unigram has no model
 * type in the core pipeline yet: it comes as files only, a HF {@code tokenizer.json} with a Unigram
 * model and a SentencePiece-style {@code unigram.vocab} (piece, tab, score).
 *
 * @param vocabulary tokens by id
 * @param tokenizer the tokenizer, or null when only files exist (Unigram)
 * @param files file name to content, written when there is no tokenizer
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
    if ((tokenizer == null) == files.isEmpty()) {
      throw new IllegalArgumentException("a trained tokenizer is either a Tokenizer or files");
    }
  }

  /** The ready tokenizer; empty for Unigram (see the class comment). */
  public Optional<Tokenizer> asTokenizer() {
    return Optional.ofNullable(tokenizer);
  }

  /** Writes the tokenizer's files into {@code folder}, created if needed. */
  public void save(Path folder) throws IOException {
    if (tokenizer != null) {
      tokenizer.save(folder);
      return;
    }
    Files.createDirectories(folder);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Files.write(folder.resolve(file.getKey()), file.getValue());
    }
  }
}
