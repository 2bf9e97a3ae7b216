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

  public static final String GPT2 = TinyModelFolders.GPT2_NAME;
  public static final String BERT = TinyModelFolders.BERT_NAME;

  private TinyServedModels() {}

  public static void register(DynamicPropertyRegistry properties) {
    TinyModelFolders.serviceProperties(Path.of("target", "tiny-models").toAbsolutePath())
        .forEach((key, value) -> properties.add(key, () -> value));
  }
}
