package io.lmserve.service.models;

import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A configured model, loaded: what requests use.
 *
 * @param contextLength the most tokens one input may have, if the model has a limit
 * @param family the tokenizer's family (e.g. {@code gpt2-bpe}, {@code wordpiece})
 * @param inference the weights and what runs them; {@link Inference.None} for tokenizer entries
 */
public record ServedModel(
    String name,
    ModelKind kind,
    String description,
    Path path,
    Tokenizer tokenizer,
    OptionalInt contextLength,
    String family,
    Inference inference) {

  /** The generation side of a causal-lm; a 400 naming {@code model} for any other kind. */
  public Inference.Generation generation() {
    if (inference instanceof Inference.Generation generation) {
      return generation;
    }
    throw notA(ModelKind.CAUSAL_LM, "generate text");
  }

  /** The fill-mask side of a masked-lm; a 400 naming {@code model} for any other kind. */
  public Inference.FillMasking fillMasking() {
    if (inference instanceof Inference.FillMasking fillMasking) {
      return fillMasking;
    }
    throw notA(ModelKind.MASKED_LM, "fill masks");
  }

  private InvalidFieldException notA(ModelKind needed, String purpose) {
    return new InvalidFieldException(
        "model",
        "'"
            + name
            + "' is a "
            + kind
            + " model and cannot "
            + purpose
            + " (needs a "
            + needed
            + ")");
  }
}
