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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A long-lived {@code /usr/bin/python3} running one of this module's scripts, spoken to one command
 * line at a time, each answered by one JSON line. Contenders written in python live in such a
 * process so that start-up and loading are never timed, and the script times its own work.
 */
final class PythonWorker implements AutoCloseable {

  static final String PYTHON = "/usr/bin/python3";
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final String script;
  private final Process process;
  private final BufferedWriter commands;
  private final BufferedReader replies;
  private final Path workDir;
  private final JsonNode ready;

  /**
   * Starts {@code script} (a resource beside this class) with {@code args}; {@code env} is added to
   * the inherited environment. The script's first line (its ready message) is kept.
   */
  PythonWorker(String script, List<String> args, Map<String, String> env) throws IOException {
    this.script = script;
    workDir = Files.createTempDirectory("lmserve-bench-py");
    Path file = workDir.resolve(script);
    try (InputStream in = PythonWorker.class.getResourceAsStream(script)) {
      Files.copy(in, file);
    }
    List<String> command = new ArrayList<>(List.of(PYTHON, file.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(env);
    process = builder.start();
    commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    replies =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    ready = readReply();
  }

  static boolean available() {
    return Files.isExecutable(Path.of(PYTHON));
  }

  /** The script's first reply. */
  JsonNode ready() {
    return ready;
  }

  /** A scratch folder deleted with the worker. */
  Path workDir() {
    return workDir;
  }

  /** Sends one command and returns its reply; a reply with {@code error} throws. */
  JsonNode ask(String command) {
    try {
      commands.write(command);
      commands.newLine();
      commands.flush();
      JsonNode r = readReply();
      if (r.has("error")) {
        throw new IllegalStateException(script + ": " + r.get("error").asString());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(script + " stopped answering", e);
    }
  }

  private JsonNode readReply() throws IOException {
    String line = replies.readLine();
    if (line == null) {
      throw new IOException(script + " exited (are its python packages installed?)");
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
