package io.lmserve.transformer;

import io.lmserve.transformer.nn.WorkerPool;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiFunction;

/** How a model's matrix weights are held once loaded. */
public enum Quantization {
  /** As stored in the checkpoint (F32, F16 or BF16), read in place from the mapping. */
  NONE,
  /**
   * int8 with one scale per block of 32 inputs (Q8_0-like), quantized at load time into memory: a
   * quarter of the F32 bytes per decode step. Embedding lookups and LayerNorms stay as stored.
   */
  INT8;

  /** {@code weights} as this quantization holds them: as loaded, or through {@code toInt8}. */
  public <W> W apply(W weights, BiFunction<W, WorkerPool, W> toInt8, WorkerPool pool) {
    return this == INT8 ? toInt8.apply(weights, pool) : weights;
  }

  /** {@code "none"} or {@code "int8"} (any case). */
  public static Quantization parse(String name) {
    return Arrays.stream(values())
        .filter(q -> q.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown quantization '" + name + "', expected none or int8"));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
