package io.lmserve.tokenizer.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a training run: the vocabulary, the files that describe the tokenizer (always a HF
 * {@code tokenizer.json}, plus the family's native files) and a summary.
 *
 * @param vocabulary tokens by id
 * @param files file name to content, in the order they are written
 * @param summary what the run did
 */
public record TrainedTokenizer(
    List<String> vocabulary, Map<String, byte[]> files, TrainingSummary summary) {

  public TrainedTokenizer {
    vocabulary = List.copyOf(vocabulary);
    files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** Writes every file into {@code folder} (created if needed) and returns their paths. */
  public List<Path> save(Path folder) throws IOException {
    Files.createDirectories(folder);
    List<Path> written = new java.util.ArrayList<>();
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = folder.resolve(file.getKey());
      Files.write(path, file.getValue());
      written.add(path);
    }
    return written;
  }
}
