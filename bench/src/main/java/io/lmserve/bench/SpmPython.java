package io.lmserve.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * SentencePiece itself, through Debian's {@code python3-sentencepiece} in one long-lived python
 * process ({@code spm_bench.py}). The process loads the model and the texts once; each pass is
 * timed inside python around the encode loop alone, so start-up, model loading and the pipe are
 * excluded.
 */
final class SpmPython implements Contender {

  static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final Integer threads;
  private final Process process;
  private final BufferedWriter commands;
  private final BufferedReader replies;
  private final Path workDir;
  private final String version;

  private SpmPython(Path model, Corpus corpus, Integer threads) throws IOException {
    this.threads = threads;
    workDir = Files.createTempDirectory("lmserve-bench-spm");
    Path script = workDir.resolve("spm_bench.py");
    try (InputStream in = SpmPython.class.getResourceAsStream("spm_bench.py")) {
      Files.copy(in, script);
    }
    Path texts = workDir.resolve("texts.txt");
    Files.writeString(texts, String.join("\n", corpus.texts()), StandardCharsets.UTF_8);
    process =
        new ProcessBuilder(PYTHON, script.toString(), model.toString(), texts.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    JsonNode ready = readReply();
    if (ready.path("ready").asInt(-1) != corpus.texts().size()) {
      throw new IllegalStateException(
          "spm_bench.py read " + ready + " texts, the corpus has " + corpus.texts().size());
    }
    version = ready.path("version").asString();
    name =
        "sentencepiece "
            + version
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
    return Files.isExecutable(Path.of(PYTHON));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Pass pass() {
    JsonNode r = ask(threads == null ? "pass" : "batch " + threads);
    return new Pass(r.get("tokens").asLong(), r.get("wall").asDouble(), r.get("cpu").asDouble());
  }

  @Override
  public List<int[]> ids(List<String> texts) {
    try {
      Path file = workDir.resolve("sample.txt");
      Files.writeString(file, String.join("\n", texts), StandardCharsets.UTF_8);
      JsonNode r = ask("ids " + file);
      return r.valueStream().map(a -> a.valueStream().mapToInt(JsonNode::asInt).toArray()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode ask(String command) {
    try {
      commands.write(command);
      commands.newLine();
      commands.flush();
      JsonNode r = readReply();
      if (r.has("error")) {
        throw new IllegalStateException("spm_bench.py: " + r.get("error").asString());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("spm_bench.py stopped answering", e);
    }
  }

  private JsonNode readReply() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new IOException("spm_bench.py exited (is python3-sentencepiece installed?)");
    }
    return JSON.readTree(line);
  }

  @Override
  public void close() {
    try {
      commands.write("quit");
      commands.newLine();
      commands.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
      try (var files = Files.list(workDir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(workDir);
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }
}
