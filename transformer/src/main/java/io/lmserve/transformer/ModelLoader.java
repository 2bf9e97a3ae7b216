package io.lmserve.transformer;

import io.lmserve.transformer.bert.BertModel;
import io.lmserve.transformer.gpt2.Gpt2Model;
import io.lmserve.transformer.nn.Kernels;
import io.lmserve.transformer.nn.WorkerPool;
import io.lmserve.transformer.safetensors.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;

/** Loads an HF model folder ({@code config.json} + safetensors weights) into a model. */
public final class ModelLoader {

  private ModelLoader() {}

  /** Loads {@code folder} with the preferred kernels and the shared worker pool. */
  public static LanguageModel load(Path folder) throws IOException {
    return load(folder, Kernels.preferred(), WorkerPool.shared());
  }

  /** Loads {@code folder} with the preferred kernels and the shared pool, weights as asked. */
  public static LanguageModel load(Path folder, Quantization quantization) throws IOException {
    return load(folder, Kernels.preferred(), WorkerPool.shared(), quantization);
  }

  /** Loads {@code folder} computing with {@code kernels} on {@code pool}. */
  public static LanguageModel load(Path folder, Kernels kernels, WorkerPool pool)
      throws IOException {
    return load(folder, kernels, pool, Quantization.NONE);
  }

  /** Loads {@code folder} computing with {@code kernels} on {@code pool}, weights as asked. */
  public static LanguageModel load(
      Path folder, Kernels kernels, WorkerPool pool, Quantization quantization) throws IOException {
    ModelConfig config = ModelConfig.read(folder);
    Checkpoint checkpoint = Checkpoint.open(folder);
    try {
      return switch (config.modelType()) {
        case GPT2 -> Gpt2Model.create(config, checkpoint, kernels, pool, quantization);
        case BERT -> BertModel.create(config, checkpoint, kernels, pool, quantization);
      };
    } catch (IOException | RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }
}
