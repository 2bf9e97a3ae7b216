package io.lmserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * SentencePiece itself, through Debian's {@code python3-sentencepiece} in one long-lived python
 * process ({@code spm_bench.py}). The process loads the model and the texts once; each pass is
 * timed inside python around the encode loop alone, so start-up, model loading and the pipe are
 * excluded.
 */
final class SpmPython implements Contender {

  static final String PYTHON = PythonWorker.PYTHON;

  private final String name;
  private final Integer threads;
  private final PythonWorker worker;

  private SpmPython(Path model, Corpus corpus, Integer threads) throws IOException {
    this.threads = threads;
    Path dir = Files.createTempDirectory("lmserve-bench-spm");
    Path texts = dir.resolve("texts.txt");
    Files.writeString(texts, String.join("\n", corpus.texts()), StandardCharsets.UTF_8);
    try {
      worker =
          new PythonWorker("spm_bench.py", List.of(model.toString(), texts.toString()), Map.of());
    } finally {
      Files.deleteIfExists(texts);
      Files.deleteIfExists(dir);
    }
    JsonNode ready = worker.ready();
    if (ready.path("ready").asInt(-1) != corpus.texts().size()) {
      throw new IllegalStateException(
          "spm_bench.py read " + ready + " texts, the corpus has " + corpus.texts().size());
    }
    name =
        "sentencepiece "
            + ready.path("version").asString()
            + " (python binding"
            + (threads == null ? ")" : ", batch of all texts on " + threads + " threads)");
  }

  /** One text per call, single thread. */
  static SpmPython single(Path model, Corpus corpus) throws IOException {
    return new SpmPython(model, corpus, null);
  }

  /** The whole corpus as one list on {@code threads} native threads. */
  static SpmPython batch(Path model, Corpus corpus, int threads) throws IOException {
    return new SpmPython(model, corpus, threads);
  }

  static boolean available() {
    return PythonWorker.available();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Pass pass() {
    JsonNode r = worker.ask(threads == null ? "pass" : "batch " + threads);
    return new Pass(r.get("tokens").asLong(), r.get("wall").asDouble(), r.get("cpu").asDouble());
  }

  @Override
  public List<int[]> ids(List<String> texts) {
    try {
      Path file = worker.workDir().resolve("sample.txt");
      Files.writeString(file, String.join("\n", texts), StandardCharsets.UTF_8);
      JsonNode r = worker.ask("ids " + file);
      return r.valueStream().map(a -> a.valueStream().mapToInt(JsonNode::asInt).toArray()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    worker.close();
  }
}
