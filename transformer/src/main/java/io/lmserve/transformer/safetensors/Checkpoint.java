package io.lmserve.transformer.safetensors;

import io.lmserve.transformer.ModelLoadException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * All tensors of a model folder: {@code model.safetensors}, or the shards listed by {@code
 * model.safetensors.index.json}. Closing it unmaps every file.
 */
public final class Checkpoint implements AutoCloseable {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final Arena arena;
  private final Map<String, SafetensorsFile> fileOf;
  private final String description;

  private Checkpoint(Arena arena, Map<String, SafetensorsFile> fileOf, String description) {
    this.arena = arena;
    this.fileOf = fileOf;
    this.description = description;
  }

  /** Opens the weights of an HF model folder (single file preferred over an index). */
  public static Checkpoint open(Path folder) throws IOException {
    Path single = folder.resolve(SINGLE_FILE);
    Path index = folder.resolve(INDEX_FILE);
    Arena arena = Arena.ofShared();
    try {
      if (Files.isRegularFile(single)) {
        return ofSingle(arena, SafetensorsFile.open(single, arena));
      }
      if (Files.isRegularFile(index)) {
        return ofIndex(arena, folder, index);
      }
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
    arena.close();
    throw new ModelLoadException(
        folder
            + ": no "
            + SINGLE_FILE
            + " or "
            + INDEX_FILE
            + " (only safetensors weights are read)");
  }

  /** Opens one safetensors file. */
  public static Checkpoint openFile(Path file) throws IOException {
    Arena arena = Arena.ofShared();
    try {
      return ofSingle(arena, SafetensorsFile.open(file, arena));
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static Checkpoint ofSingle(Arena arena, SafetensorsFile file) {
    Map<String, SafetensorsFile> fileOf = new TreeMap<>();
    for (String name : file.tensors().keySet()) {
      fileOf.put(name, file);
    }
    return new Checkpoint(arena, fileOf, file.path().toString());
  }

  private static Checkpoint ofIndex(Arena arena, Path folder, Path index) throws IOException {
    JsonNode root;
    try {
      root = JsonMapper.shared().readTree(Files.readAllBytes(index));
    } catch (JacksonException e) {
      throw new ModelLoadException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      throw new ModelLoadException(index + ": no weight_map object");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> fileOf = new TreeMap<>();
    for (String tensor : weightMap.propertyNames()) {
      JsonNode shardNode = weightMap.get(tensor);
      if (!shardNode.isString()) {
        throw new ModelLoadException(
            index + ": weight_map entry of '" + tensor + "' is not a file name");
      }
      String shardName = shardNode.stringValue();
      Path shardPath = folder.resolve(shardName).normalize();
      if (!shardPath.getParent().equals(folder.normalize()) || shardName.contains("/")) {
        throw new ModelLoadException(
            index
                + ": shard '"
                + shardName
                + "' of tensor '"
                + tensor
                + "' is not a file in "
                + folder);
      }
      SafetensorsFile shard = shards.get(shardName);
      if (shard == null) {
        if (!Files.isRegularFile(shardPath)) {
          throw new ModelLoadException(
              index + ": shard '" + shardName + "' of tensor '" + tensor + "' is missing");
        }
        shard = SafetensorsFile.open(shardPath, arena);
        shards.put(shardName, shard);
      }
      if (!shard.tensors().containsKey(tensor)) {
        throw new ModelLoadException(
            index + ": tensor '" + tensor + "' is not in its shard '" + shardName + "'");
      }
      fileOf.put(tensor, shard);
    }
    for (SafetensorsFile shard : shards.values()) {
      for (String tensor : shard.tensors().keySet()) {
        SafetensorsFile listed = fileOf.get(tensor);
        if (listed != shard) {
          throw new ModelLoadException(
              shard.path()
                  + ": tensor '"
                  + tensor
                  + "' is "
                  + (listed == null ? "not listed in " + INDEX_FILE : "also in " + listed.path()));
        }
      }
    }
    return new Checkpoint(arena, fileOf, index.toString());
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(fileOf.keySet());
  }

  public Optional<Tensor> find(String name) {
    SafetensorsFile file = fileOf.get(name);
    return file == null ? Optional.empty() : file.tensor(name);
  }

  /** Where the tensors come from, for messages. */
  public String description() {
    return description;
  }

  @Override
  public void close() {
    arena.close();
  }
}
