package io.lmserve.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tiny reference models of {@code ../shared} (vocabulary of 1000 ids) as complete HF folders,
 * with a tokenizer whose ids fit them, for tests that load a model and its tokenizer from one
 * folder (CLI, service, integration tests).
 */
public final class TinyModelFolders {

  private static final JsonMapper JSON = JsonMapper.shared();

  /** Ids of the tiny models' vocabulary; the tiny GPT-2's EOS is the last one. */
  public static final int VOCAB_SIZE = 1000;

  private TinyModelFolders() {}

  /**
   * {@code dir} holding the tiny GPT-2 (config, weights) and GPT-2's tokenizer cut to its 1000 ids:
   * the 256 byte tokens, the first 743 merges (GPT-2's merge i makes id 256 + i) and {@code
   * <|endoftext|>} at 999, the tiny model's EOS.
   */
  public static Path gpt2Tiny(Path dir) {
    copyModel("fixtures/models/tiny/gpt2-tiny", dir);
    write(dir.resolve("tokenizer.json"), gpt2TokenizerJson());
    return dir;
  }

  /**
   * {@code dir} holding the tiny BERT and bert-base-uncased's tokenizer unchanged: its special
   * tokens ([PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103) and "!" (999) are the only tokens
   * inside the tiny model's 1000 ids, so inputs are spelt with those.
   */
  public static Path bertTiny(Path dir) {
    copyModel("fixtures/models/tiny/bert-tiny", dir);
    copy(SharedData.path("fixtures/tokenizers/hf/bert-base-uncased/tokenizer.json"), dir);
    return dir;
  }

  /** GPT-2's tokenizer.json cut to the tiny model's ids (see {@link #gpt2Tiny}). */
  public static String gpt2TokenizerJson() {
    ObjectNode root;
    try {
      root =
          (ObjectNode)
              JSON.readTree(
                  Files.readAllBytes(
                      SharedData.path("fixtures/tokenizers/hf/gpt2/tokenizer.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ObjectNode model = (ObjectNode) root.get("model");
    ObjectNode vocab = JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : model.get("vocab").properties()) {
      if (e.getValue().asInt() < VOCAB_SIZE - 1) {
        vocab.put(e.getKey(), e.getValue().asInt());
      }
    }
    model.set("vocab", vocab);
    ArrayNode merges = JSON.createArrayNode();
    Iterator<JsonNode> it = model.get("merges").iterator();
    for (int i = 0; i < VOCAB_SIZE - 1 - 256; i++) {
      merges.add(it.next());
    }
    model.set("merges", merges);
    ((ObjectNode) root.get("added_tokens").get(0)).put("id", VOCAB_SIZE - 1);
    return JSON.writeValueAsString(root);
  }

  private static void copyModel(String fixture, Path dir) {
    Path model = SharedData.path(fixture);
    copy(model.resolve("config.json"), dir);
    copy(model.resolve("model.safetensors"), dir);
  }

  private static void copy(Path file, Path dir) {
    try {
      Files.createDirectories(dir);
      Files.copy(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
