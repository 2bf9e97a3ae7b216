package io.lmserve.transformer;

/**
 * A loaded model: immutable and safe to share between threads. Its weights stay in the checkpoint's
 * memory until {@link #close()}, after which neither it nor its sessions may be used.
 */
public sealed interface LanguageModel extends AutoCloseable permits CausalLm, MaskedLm {

  ModelConfig config();

  /** Unmaps the weights. */
  @Override
  void close();
}
