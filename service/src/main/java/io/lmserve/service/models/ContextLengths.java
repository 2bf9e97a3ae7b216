package io.lmserve.service.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** Reads how many tokens a model takes from its HF folder's {@code config.json}. */
final class ContextLengths {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final List<String> CONFIG_KEYS =
      List.of("n_positions", "max_position_embeddings", "n_ctx");

  private ContextLengths() {}

  static OptionalInt read(Path modelPath) {
    Path folder = Files.isDirectory(modelPath) ? modelPath : modelPath.getParent();
    if (folder == null) {
      return OptionalInt.empty();
    }
    return firstInt(folder.resolve("config.json"), CONFIG_KEYS);
  }

  private static OptionalInt firstInt(Path file, List<String> keys) {
    if (!Files.isRegularFile(file)) {
      return OptionalInt.empty();
    }
    JsonNode root = JSON.readTree(file.toFile());
    for (String key : keys) {
      JsonNode value = root.get(key);
      if (value != null && value.isNumber()) {
        double n = value.asDouble();
        if (n >= 1 && n <= Integer.MAX_VALUE) {
          return OptionalInt.of((int) n);
        }
      }
    }
    return OptionalInt.empty();
  }
}
