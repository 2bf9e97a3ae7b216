package io.lmserve.transformer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lmserve.transformer.safetensors.Checkpoint;
import io.lmserve.transformer.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the model files: a safetensors file alone, and a whole model folder
 * ({@code config.json} + {@code model.safetensors}). Whatever the bytes, loading either gives a
 * model that computes logits for a short input, or fails with a {@link ModelLoadException} (an
 * {@link IOException}); any other exception, an OOM (a header or config claiming terabytes) or a
 * hang is a finding.
 *
 * <p>A normal build replays the seeds and saved findings under {@code
 * src/test/resources/io/lmserve/transformer/ModelFilesFuzzTestInputs/<method>/} (micro GPT-2 and
 * BERT checkpoints, 8 wide); {@code JAZZER_FUZZ=1} fuzzes (see transformer/README.md).
 */
class ModelFilesFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void safetensors(byte[] data) throws IOException {
    Path folder = Files.createTempDirectory("lmserve-fuzz");
    Path file = Files.write(folder.resolve(Checkpoint.SINGLE_FILE), data);
    try (Checkpoint checkpoint = Checkpoint.open(folder)) {
      for (String name : checkpoint.names()) {
        Tensor t = checkpoint.find(name).orElseThrow();
        if (t.dtype().isComputeType() && t.elementCount() > 0) {
          t.getFloat(0);
          t.getFloat(t.elementCount() - 1);
        }
      }
    } catch (ModelLoadException refused) {
      // a declared refusal
    } finally {
      Files.delete(file);
      Files.delete(folder);
    }
  }

  /** The input is split at its first NUL byte into config.json and model.safetensors. */
  @FuzzTest(maxDuration = "2m")
  void modelFolder(byte[] data) throws IOException {
    loadFolder(data);
  }

  /** The micro checkpoints the fuzzer starts from are real models, so it starts past the parser. */
  @Test
  void everyModelSeedLoads() throws IOException {
    Path seeds =
        Path.of(
            System.getProperty("lmserve.root", "."),
            "transformer/src/test/resources/io/lmserve/transformer/ModelFilesFuzzTestInputs/modelFolder");
    for (String seed :
        List.of("gpt2-micro-f32", "gpt2-micro-f16", "bert-micro-f32", "bert-micro-f16")) {
      assertTrue(loadFolder(Files.readAllBytes(seeds.resolve(seed))), seed + " should load");
    }
  }

  private static boolean loadFolder(byte[] data) throws IOException {
    int nul = 0;
    while (nul < data.length && data[nul] != 0) {
      nul++;
    }
    Path folder = Files.createTempDirectory("lmserve-fuzz");
    Path config = Files.write(folder.resolve("config.json"), Arrays.copyOf(data, nul));
    Path weights =
        Files.write(
            folder.resolve(Checkpoint.SINGLE_FILE),
            Arrays.copyOfRange(data, Math.min(nul + 1, data.length), data.length));
    try {
      return run(folder);
    } finally {
      Files.delete(config);
      Files.delete(weights);
      Files.delete(folder);
    }
  }

  /** Loads the folder and computes logits for two tokens; true if it loaded. */
  static boolean run(Path folder) throws IOException {
    LanguageModel model;
    try {
      model = ModelLoader.load(folder);
    } catch (ModelLoadException refused) {
      return false;
    }
    try (model) {
      int length = Math.min(2, model.config().maxPositions());
      int[][] ids = {
        Arrays.copyOf(new int[] {0, Math.min(1, model.config().vocabSize() - 1)}, length)
      };
      switch (model) {
        case CausalLm causal -> {
          causal.forward(ids, null);
          try (Session session = causal.newSession(Math.min(4, model.config().maxPositions()))) {
            session.prefill(new int[] {0});
          }
        }
        case MaskedLm masked -> masked.mlmLogits(ids, null, null);
      }
    }
    return true;
  }
}
