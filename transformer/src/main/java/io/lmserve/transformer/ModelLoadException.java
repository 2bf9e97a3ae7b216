package io.lmserve.transformer;

import java.io.IOException;

/**
 * A model folder that cannot be loaded: a corrupt or inconsistent safetensors file, a missing or
 * misshapen tensor, an unsupported {@code model_type} or dtype. The message names the file and
 * tensor at fault.
 */
public class ModelLoadException extends IOException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
