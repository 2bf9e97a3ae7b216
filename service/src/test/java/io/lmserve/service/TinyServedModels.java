package io.lmserve.service;

import io.lmserve.testkit.TinyModelFolders;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Serves the tiny reference models next to the configured ones: {@code gpt2-tiny} (causal-lm, the
 * default generation model) and {@code bert-tiny} (masked-lm, the default fill-mask model), each an
 * HF folder under {@code target/tiny-models} with a tokenizer whose ids fit the model.
 */
public final class TinyServedModels {

  public static final String GPT2 = "gpt2-tiny";
  public static final String BERT = "bert-tiny";

  private TinyServedModels() {}

  public static void register(DynamicPropertyRegistry properties) {
    Path root = Path.of("target", "tiny-models").toAbsolutePath();
    Path gpt2 = TinyModelFolders.gpt2Tiny(root.resolve(GPT2));
    Path bert = TinyModelFolders.bertTiny(root.resolve(BERT));
    properties.add("lmserve.models." + GPT2 + ".path", gpt2::toString);
    properties.add("lmserve.models." + GPT2 + ".kind", () -> "causal-lm");
    properties.add("lmserve.models." + BERT + ".path", bert::toString);
    properties.add("lmserve.models." + BERT + ".kind", () -> "masked-lm");
    properties.add("lmserve.default-generation-model", () -> GPT2);
    properties.add("lmserve.default-fill-mask-model", () -> BERT);
  }
}
