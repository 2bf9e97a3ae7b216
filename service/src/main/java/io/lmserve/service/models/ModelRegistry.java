package io.lmserve.service.models;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.lmserve.service.config.LmserveProperties;
import io.lmserve.service.errors.InvalidFieldException;
import io.lmserve.service.errors.RetryLaterException;
import io.lmserve.service.errors.UnknownModelException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The configured models, loaded in the background when the service starts and kept in a bounded
 * Caffeine cache. Requests only ever name registry entries; a model that is still loading answers
 * 503 with {@code Retry-After}, and readiness stays DOWN until every model has loaded once.
 */
@Component
public class ModelRegistry implements DisposableBean {

  private static final Log log = LogFactory.getLog(ModelRegistry.class);

  private final LmserveProperties properties;
  private final SequencedMap<String, LmserveProperties.Model> entries;
  private final ExecutorService loaderThread =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("model-loader").factory());
  private final AsyncLoadingCache<String, ServedModel> loaded;
  private final Map<String, ModelState> states = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  public ModelRegistry(LmserveProperties properties, ModelLoader loader, MeterRegistry meters) {
    this.properties = properties;
    this.entries = new LinkedHashMap<>(properties.models());
    checkConfiguration();
    this.loaded =
        Caffeine.newBuilder()
            .maximumSize(properties.cache().modelsMaxSize())
            .executor(loaderThread)
            .recordStats()
            .removalListener(
                (String name, ServedModel model, RemovalCause cause) -> {
                  if (model != null) {
                    model.inference().close();
                  }
                })
            .buildAsync(name -> loader.load(name, entries.get(name)));
    CaffeineCacheMetrics.monitor(meters, loaded, "lmserve.models");
    entries.keySet().forEach(this::startLoading);
  }

  /** Configured model names, in configuration order. */
  public java.util.List<String> names() {
    return java.util.List.copyOf(entries.keySet());
  }

  public Optional<String> defaultModel() {
    return Optional.ofNullable(properties.defaultModel());
  }

  public LmserveProperties.Model entry(String name) {
    return entries.get(name);
  }

  public ModelState state(String name) {
    return states.getOrDefault(name, ModelState.LOADING);
  }

  public Optional<String> failure(String name) {
    return Optional.ofNullable(failures.get(name));
  }

  /** Whether every configured model has loaded at least once (readiness). */
  public boolean allReady() {
    return entries.keySet().stream().allMatch(n -> state(n) == ModelState.READY);
  }

  /** The loaded model a request names ({@code null}: the default), or the problem to answer. */
  public ServedModel require(String requested) {
    return require(requested, properties.defaultModel());
  }

  /**
   * The loaded model a request names, or when it names none the configured default for what it
   * needs: {@code lmserve.default-generation-model} for a causal-lm, {@code
   * lmserve.default-fill-mask-model} for a masked-lm.
   */
  public ServedModel require(String requested, ModelKind needed) {
    return require(requested, defaultFor(needed));
  }

  /** The configured default model of a kind, if any. */
  public String defaultFor(ModelKind kind) {
    return switch (kind) {
      case CAUSAL_LM -> properties.defaultGenerationModel();
      case MASKED_LM -> properties.defaultFillMaskModel();
      case TOKENIZER -> properties.defaultModel();
    };
  }

  private ServedModel require(String requested, String defaultName) {
    String name = requested != null ? requested : defaultName;
    if (name == null) {
      throw new InvalidFieldException("model", "is required (no default model is configured)");
    }
    if (!entries.containsKey(name)) {
      throw new UnknownModelException(name, entries.keySet());
    }
    CompletableFuture<ServedModel> model = loaded.get(name);
    if (model.isDone() && !model.isCompletedExceptionally()) {
      return model.join();
    }
    if (state(name) == ModelState.FAILED) {
      throw RetryLaterException.modelFailed(
          name, failures.get(name), properties.limits().retryAfter());
    }
    throw RetryLaterException.modelLoading(name, properties.limits().retryAfter());
  }

  /** The loaded model if it is in memory now; never starts a load. */
  public Optional<ServedModel> ifLoaded(String name) {
    CompletableFuture<ServedModel> model = loaded.getIfPresent(name);
    return model != null && model.isDone() && !model.isCompletedExceptionally()
        ? Optional.of(model.join())
        : Optional.empty();
  }

  private void startLoading(String name) {
    loaded
        .get(name)
        .whenComplete(
            (model, error) -> {
              if (error == null) {
                states.put(name, ModelState.READY);
                failures.remove(name);
              } else {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                log.error("Model '" + name + "' failed to load", cause);
                states.put(name, ModelState.FAILED);
                failures.put(name, String.valueOf(cause.getMessage()));
              }
            });
  }

  /** A typo in the registry should stop the service at start, with the entry named. */
  private void checkConfiguration() {
    checkDefault("lmserve.default-model", properties.defaultModel(), null);
    checkDefault(
        "lmserve.default-generation-model",
        properties.defaultGenerationModel(),
        ModelKind.CAUSAL_LM);
    checkDefault(
        "lmserve.default-fill-mask-model", properties.defaultFillMaskModel(), ModelKind.MASKED_LM);
    entries.forEach(
        (name, entry) -> {
          Path path = properties.resolve(entry.path());
          if (!Files.exists(path)) {
            throw new IllegalStateException(
                "lmserve.models." + name + ".path: " + path + " does not exist");
          }
        });
  }

  private void checkDefault(String key, String name, ModelKind kind) {
    if (name == null) {
      return;
    }
    if (!entries.containsKey(name)) {
      throw new IllegalStateException(
          key + " '" + name + "' is not among lmserve.models " + entries.keySet());
    }
    if (kind != null && entries.get(name).kind() != kind) {
      throw new IllegalStateException(
          key + " '" + name + "' is a " + entries.get(name).kind() + " model, not a " + kind);
    }
  }

  /** Stops the loader, then every model's scheduler and weights. */
  @Override
  public void destroy() {
    loaderThread.shutdownNow();
    for (String name : entries.keySet()) {
      ifLoaded(name).ifPresent(model -> model.inference().close());
    }
  }
}
