package io.lmserve.service.config;

import io.lmserve.service.models.ModelKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code lmserve.*} in {@code config/application.yml}.
 *
 * @param root the folder relative model paths are resolved against: the project root ({@code
 *     bin/lmserve serve} and the build pass {@code -Dlmserve.root}); the working folder otherwise
 * @param defaultModel the model used when a tokenizer request names none
 * @param defaultGenerationModel the causal-lm used when a generation request names none
 * @param defaultFillMaskModel the masked-lm used when a fill-mask request names none
 * @param models the registry: name → model; clients name these entries, never paths
 */
@ConfigurationProperties("lmserve")
@Validated
public record LmserveProperties(
    @DefaultValue(".") Path root,
    String defaultModel,
    String defaultGenerationModel,
    String defaultFillMaskModel,
    @DefaultValue Map<String, @Valid Model> models,
    @DefaultValue @Valid Limits limits,
    @DefaultValue @Valid Caches cache,
    @DefaultValue @Valid Tokenization tokenization,
    @DefaultValue @Valid Generation generation,
    @DefaultValue @Valid FillMask fillMask) {

  /**
   * One served model.
   *
   * @param path an HF folder (tokenizer.json, or vocab files) or a tokenizer file ({@code
   *     tokenizer.json}, SentencePiece {@code .model}); relative to {@link #root()}
   * @param kind causal-lm, masked-lm, or tokenizer (tokenizer only, no weights)
   * @param contextLength tokens the model takes; when absent, read from the folder's {@code
   *     config.json} / {@code tokenizer_config.json}; none means unbounded
   * @param description shown by {@code GET /v1/models}
   */
  public record Model(
      @NotNull Path path,
      @DefaultValue("tokenizer") ModelKind kind,
      @Positive Integer contextLength,
      String description) {}

  /**
   * Every size a client controls. The request body itself is capped by {@code
   * spring.codec.max-in-memory-size}.
   *
   * @param maxTextChars characters (UTF-16 units) of one text
   * @param maxBatchSize texts (or id sequences) in one request
   * @param maxIds ids in one decode request, all sequences together
   * @param maxLength the largest {@code max_length} a request may ask for
   * @param maxBatchTokens tokens in one encode answer, all rows and windows together (padding to
   *     max_length and overlapping windows multiply what the texts hold)
   * @param retryAfter what {@code Retry-After} says while a model loads
   */
  public record Limits(
      @DefaultValue("200000") @Positive int maxTextChars,
      @DefaultValue("256") @Positive int maxBatchSize,
      @DefaultValue("262144") @Positive int maxIds,
      @DefaultValue("65536") @Positive int maxLength,
      @DefaultValue("1048576") @Positive int maxBatchTokens,
      @DefaultValue("5s") Duration retryAfter) {}

  /**
   * @param encodingsMaxWeight estimated bytes of cached encodings (text and token arrays)
   * @param modelsMaxSize loaded models kept in memory; more configured models are reloaded on use
   */
  public record Caches(
      @DefaultValue("64MB") DataSize encodingsMaxWeight,
      @DefaultValue("8") @Positive int modelsMaxSize) {}

  /**
   * @param offloadThresholdChars requests with more characters than this are tokenized on a worker
   *     thread instead of the event loop
   * @param workers threads that tokenize large requests
   * @param queueCapacity large requests waiting for a worker; beyond it requests get 429
   */
  public record Tokenization(
      @DefaultValue("4096") int offloadThresholdChars,
      @DefaultValue("2") @Positive int workers,
      @DefaultValue("256") @Positive int queueCapacity) {}

  /**
   * Generation: the bounds on what a request may ask for, and each causal model's scheduler.
   *
   * @param maxNewTokens the largest {@code max_new_tokens} / {@code max_tokens}
   * @param maxStopSequences stop sequences in one request
   * @param maxStopLength characters of one stop sequence
   * @param maxLogprobs the largest {@code logprobs} (alternatives per token)
   * @param maxBatchSize sequences one model decodes together (bounds its KV cache memory)
   * @param queueCapacity requests waiting for a batch slot per model; more get 429
   * @param prefillChunkTokens prompt tokens prefilled between two decode steps
   * @param timeout a generation still running after this long is cancelled
   * @param shutdownGrace on shutdown, how long the admitted generations (queued and running) may
   *     take to finish before what is left is cancelled (new ones are refused at once)
   */
  public record Generation(
      @DefaultValue("1024") @Positive int maxNewTokens,
      @DefaultValue("16") @PositiveOrZero int maxStopSequences,
      @DefaultValue("256") @Positive int maxStopLength,
      @DefaultValue("20") @PositiveOrZero int maxLogprobs,
      @DefaultValue("16") @Positive int maxBatchSize,
      @DefaultValue("256") @Positive int queueCapacity,
      @DefaultValue("256") @Positive int prefillChunkTokens,
      @DefaultValue("5m") Duration timeout,
      @DefaultValue("10s") Duration shutdownGrace) {

    /** The defaults above, for code that builds properties without binding them. */
    public static final Generation DEFAULTS =
        new Generation(
            1024, 16, 256, 20, 16, 64, 256, Duration.ofMinutes(5), Duration.ofSeconds(10));
  }

  /**
   * @param maxTopK the largest {@code top_k}
   * @param maxTexts texts in one request (each is one forward pass)
   */
  public record FillMask(
      @DefaultValue("100") @Positive int maxTopK, @DefaultValue("32") @Positive int maxTexts) {

    public static final FillMask DEFAULTS = new FillMask(100, 32);
  }

  /** A configured path, resolved against {@link #root()}. */
  public Path resolve(Path path) {
    return root.resolve(path).toAbsolutePath().normalize();
  }
}
