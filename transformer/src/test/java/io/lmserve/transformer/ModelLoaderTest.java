package io.lmserve.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lmserve.transformer.safetensors.Checkpoint;
import io.lmserve.transformer.safetensors.DType;
import io.lmserve.transformer.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Loading model folders: naming, sharding, and one clear error for each kind of bad folder. */
class ModelLoaderTest {

  @TempDir Path dir;

  private static final int[][] PROMPT = {{5, 17, 42, 7}};

  private Path gpt2() {
    return Golden.modelDir("tiny/gpt2-tiny");
  }

  /** A copy of gpt2-tiny's config and the writer holding its tensors, for altering one thing. */
  private SafetensorsWriter copyTo(Path source, Path target) throws IOException {
    Files.createDirectories(target);
    Files.copy(source.resolve("config.json"), target.resolve("config.json"));
    try (Checkpoint c = Checkpoint.open(source)) {
      return SafetensorsWriter.copyOf(c);
    }
  }

  private String loadFailure(Path folder) {
    return assertThrows(ModelLoadException.class, () -> ModelLoader.load(folder).close())
        .getMessage();
  }

  @Test
  void aLoadedModelDoesNotDependOnItsFilesAnyMore() throws IOException {
    // A copy over a served model's folder cuts the weights file short, then the folder goes; the
    // loaded model must keep answering as before (a memory-mapped file would fault instead).
    Path target = dir.resolve("served");
    Files.createDirectories(target);
    for (String name : List.of("config.json", "model.safetensors")) {
      Files.copy(gpt2().resolve(name), target.resolve(name));
    }
    try (CausalLm model = (CausalLm) ModelLoader.load(target)) {
      float[] before = model.forward(PROMPT, null)[0][3].clone();
      Path weights = target.resolve("model.safetensors");
      try (FileChannel channel = FileChannel.open(weights, StandardOpenOption.WRITE)) {
        channel.truncate(channel.size() / 2);
      }
      assertArrayEquals(before, model.forward(PROMPT, null)[0][3], 0f);
      Files.delete(weights);
      Files.delete(target.resolve("config.json"));
      assertArrayEquals(before, model.forward(PROMPT, null)[0][3], 0f);
    }
  }

  @Test
  void shardedCheckpointGivesTheSameLogits() throws IOException {
    Path target = dir.resolve("sharded");
    SafetensorsWriter all = copyTo(gpt2(), target);
    List<String> names = new ArrayList<>(all.entriesView().keySet());
    ObjectNode weightMap = JsonMapper.shared().createObjectNode();
    SafetensorsWriter first = copyTo(gpt2(), dir.resolve("scratch1"));
    SafetensorsWriter second = copyTo(gpt2(), dir.resolve("scratch2"));
    for (int i = 0; i < names.size(); i++) {
      String shard =
          i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      weightMap.put(names.get(i), shard);
      (i % 2 == 0 ? second : first).remove(names.get(i));
    }
    first.write(target.resolve("model-00001-of-00002.safetensors"));
    second.write(target.resolve("model-00002-of-00002.safetensors"));
    ObjectNode index = JsonMapper.shared().createObjectNode();
    index.putObject("metadata").put("total_size", 1);
    index.set("weight_map", weightMap);
    Files.writeString(target.resolve(Checkpoint.INDEX_FILE), index.toString());

    try (CausalLm sharded = (CausalLm) ModelLoader.load(target);
        CausalLm single = (CausalLm) ModelLoader.load(gpt2())) {
      assertArrayEquals(
          single.forward(PROMPT, null)[0][3], sharded.forward(PROMPT, null)[0][3], 0f);
    }

    weightMap.put(names.get(0), "../elsewhere.safetensors");
    Files.writeString(target.resolve(Checkpoint.INDEX_FILE), index.toString());
    assertTrue(loadFailure(target).contains("is not a file in"), loadFailure(target));
    weightMap.put(names.get(0), "model-00002-of-00002.safetensors");
    Files.writeString(target.resolve(Checkpoint.INDEX_FILE), index.toString());
    assertTrue(loadFailure(target).contains("is not in its shard"), loadFailure(target));
    weightMap.put(names.get(0), "model-00009-of-00009.safetensors");
    Files.writeString(target.resolve(Checkpoint.INDEX_FILE), index.toString());
    assertTrue(loadFailure(target).contains("is missing"), loadFailure(target));
  }

  @Test
  void wrongShapeNamesTheTensorAndBothShapes() throws IOException {
    Path target = dir.resolve("shape");
    copyTo(gpt2(), target)
        .reshape("transformer.h.1.mlp.c_fc.weight", 256, 64)
        .write(target.resolve("model.safetensors"));
    String message = loadFailure(target);
    assertTrue(message.contains("'transformer.h.1.mlp.c_fc.weight' has shape [256, 64]"), message);
    assertTrue(message.contains("[64, 256]"), message);
  }

  @Test
  void missingTensorIsNamedWithTheNamesTried() throws IOException {
    Path target = dir.resolve("missing");
    copyTo(gpt2(), target)
        .remove("transformer.ln_f.bias")
        .write(target.resolve("model.safetensors"));
    String message = loadFailure(target);
    assertTrue(message.contains("missing tensor 'ln_f.bias'"), message);
    assertTrue(message.contains("transformer.ln_f.bias"), message);
  }

  @Test
  void unsupportedDtypeOfAWeightIsNamed() throws IOException {
    Path target = dir.resolve("dtype");
    SafetensorsWriter w = copyTo(gpt2(), target);
    w.raw("transformer.ln_f.weight", DType.I32, new long[] {64}, new byte[256]);
    w.write(target.resolve("model.safetensors"));
    String message = loadFailure(target);
    assertTrue(message.contains("'transformer.ln_f.weight' has unsupported dtype I32"), message);
  }

  @Test
  void unsupportedModelTypeAndBadConfigValues() throws IOException {
    Path target = dir.resolve("type");
    copyTo(gpt2(), target).write(target.resolve("model.safetensors"));
    ObjectNode config =
        (ObjectNode) JsonMapper.shared().readTree(Files.readString(target.resolve("config.json")));
    config.put("model_type", "llama");
    Files.writeString(target.resolve("config.json"), config.toString());
    assertTrue(
        loadFailure(target).contains("unsupported model_type 'llama' (supported: gpt2, bert)"));

    config.put("model_type", "gpt2").put("activation_function", "mish");
    Files.writeString(target.resolve("config.json"), config.toString());
    assertTrue(loadFailure(target).contains("unsupported activation_function 'mish'"));

    config.put("activation_function", "gelu_new").put("n_head", 5);
    Files.writeString(target.resolve("config.json"), config.toString());
    assertTrue(loadFailure(target).contains("not a multiple of the head count 5"));

    config.put("n_head", 4).put("n_positions", -3);
    Files.writeString(target.resolve("config.json"), config.toString());
    assertTrue(loadFailure(target).contains("position count -3 out of range"));

    Files.writeString(target.resolve("config.json"), "{\"model_type\": ");
    assertTrue(loadFailure(target).contains("config.json: not valid JSON"));

    Files.delete(target.resolve("config.json"));
    assertTrue(loadFailure(target).contains("no config.json"));
    assertTrue(loadFailure(dir.resolve("nowhere")).contains("no config.json"));
  }

  @Test
  void folderWithoutSafetensorsSaysWhatItLooksFor() throws IOException {
    Path target = dir.resolve("empty");
    Files.createDirectories(target);
    Files.copy(gpt2().resolve("config.json"), target.resolve("config.json"));
    assertTrue(
        loadFailure(target).contains("no model.safetensors or model.safetensors.index.json"));
  }

  @Test
  void untiedHeadNeedsItsTensorAndIsUsed() throws IOException {
    Path target = dir.resolve("untied");
    SafetensorsWriter w = copyTo(gpt2(), target);
    ObjectNode config =
        (ObjectNode) JsonMapper.shared().readTree(Files.readString(target.resolve("config.json")));
    config.put("tie_word_embeddings", false);
    Files.writeString(target.resolve("config.json"), config.toString());
    w.write(target.resolve("model.safetensors"));
    assertTrue(loadFailure(target).contains("'lm_head.weight'"));

    float[] head = new float[1000 * 64];
    head[42 * 64] = 1f; // logit 42 = first hidden feature; every other logit 0
    w.f32("lm_head.weight", new long[] {1000, 64}, head).write(target.resolve("model.safetensors"));
    try (CausalLm untied = (CausalLm) ModelLoader.load(target);
        CausalLm tied = (CausalLm) ModelLoader.load(gpt2())) {
      float[] logits = untied.forward(PROMPT, null)[0][3];
      float firstFeature = tied.hiddenStates(PROMPT, null)[2][0][3][0];
      assertEquals(firstFeature, logits[42], 1e-6f);
      assertEquals(0f, logits[41]);
    }
  }

  @Test
  void loadsBothFamiliesAsTheirInterfaces() throws IOException {
    try (LanguageModel g = ModelLoader.load(gpt2());
        LanguageModel b = ModelLoader.load(Golden.modelDir("tiny/bert-tiny"))) {
      assertInstanceOf(CausalLm.class, g);
      assertInstanceOf(MaskedLm.class, b);
      assertEquals(ModelConfig.ModelType.GPT2, g.config().modelType());
      assertEquals(999, g.config().eosTokenId().orElseThrow());
      assertEquals(256, g.config().intermediateSize());
      assertEquals(128, b.config().intermediateSize());
      assertEquals(2, b.config().typeVocabSize());
      assertTrue(((MaskedLm) b).maskTokenId().isEmpty());
    }
  }
}
