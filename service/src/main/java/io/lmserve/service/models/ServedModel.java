package io.lmserve.service.models;

import io.lmserve.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A configured model, loaded: what requests use.
 *
 * @param contextLength the most tokens one input may have, if the model has a limit
 * @param family the tokenizer's family (e.g. {@code gpt2-bpe}, {@code wordpiece})
 */
public record ServedModel(
    String name,
    ModelKind kind,
    String description,
    Path path,
    Tokenizer tokenizer,
    OptionalInt contextLength,
    String family) {}
