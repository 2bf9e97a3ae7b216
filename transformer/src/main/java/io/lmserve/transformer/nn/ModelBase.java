package io.lmserve.transformer.nn;

import io.lmserve.transformer.ModelConfig;
import io.lmserve.transformer.safetensors.Checkpoint;

/**
 * What GPT-2 and BERT hold alike: the config and the sizes read from it, the checkpoint they own
 * (closing the model unmaps it), and the kernels and pool they compute with.
 */
public abstract class ModelBase implements AutoCloseable {

  protected final ModelConfig config;
  protected final Kernels kernels;
  protected final WorkerPool pool;
  protected final int hidden;
  protected final int heads;
  protected final int headDim;
  protected final int vocab;
  protected final Activation activation;
  private final Checkpoint checkpoint;

  protected ModelBase(ModelConfig config, Checkpoint checkpoint, Kernels kernels, WorkerPool pool) {
    this.config = config;
    this.checkpoint = checkpoint;
    this.kernels = kernels;
    this.pool = pool;
    this.hidden = config.hiddenSize();
    this.heads = config.numHeads();
    this.headDim = config.headDim();
    this.vocab = config.vocabSize();
    this.activation = config.activation();
  }

  public ModelConfig config() {
    return config;
  }

  /** Unmaps the weights. */
  @Override
  public void close() {
    checkpoint.close();
  }
}
