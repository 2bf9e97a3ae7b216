package io.lmserve.cli;

import io.lmserve.cli.Main.UsageException;
import io.lmserve.tokenizer.Tokenizer;
import io.lmserve.transformer.LanguageModel;
import io.lmserve.transformer.ModelLoader;
import io.lmserve.transformer.Quantization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opening the {@code --model DIR} of a command as the kind of model it needs. */
final class ModelFolders {

  private ModelFolders() {}

  /** The {@code --quantize none|int8} option (default none). */
  static Quantization quantization(Options options) throws UsageException {
    try {
      return options.value("--quantize").map(Quantization::parse).orElse(Quantization.NONE);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--quantize: " + e.getMessage());
    }
  }

  static <T extends LanguageModel> T open(
      String folder, Class<T> kind, String purpose, Quantization quantization)
      throws UsageException, IOException {
    Path dir = Path.of(folder);
    if (!Files.isDirectory(dir)) {
      throw new UsageException("--model: " + folder + " is not a folder");
    }
    LanguageModel model = ModelLoader.load(dir, quantization);
    if (!kind.isInstance(model)) {
      String type = model.config().modelType().hfName();
      model.close();
      throw new UsageException(
          "--model: " + folder + " holds a " + type + " model, which cannot " + purpose);
    }
    return kind.cast(model);
  }

  /** The tokenizer saved in the model folder, for commands that take text. */
  static Tokenizer tokenizer(String folder) throws UsageException {
    Path dir = Path.of(folder);
    boolean present =
        Files.exists(dir.resolve("tokenizer.json"))
            || Files.exists(dir.resolve("vocab.json"))
            || Files.exists(dir.resolve("vocab.txt"));
    if (!present) {
      throw new UsageException(
          "--model: "
              + folder
              + " has no tokenizer (tokenizer.json, vocab.json + merges.txt or vocab.txt);"
              + " give token ids instead");
    }
    return Tokenizer.load(dir);
  }
}
